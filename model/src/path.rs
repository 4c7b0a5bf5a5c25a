//! Path templates: `/contacts/{contact_id}/notes`.

/// The `{name}` placeholders of a path template, in order.
pub fn path_placeholders(path: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            return Err(format!("path `{path}` has an unclosed `{{`"));
        };
        let name = &rest[start + 1..start + len];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!(
                "path `{path}` has an invalid parameter `{{{name}}}`"
            ));
        }
        if out.iter().any(|n| n == name) {
            return Err(format!("path `{path}` uses `{{{name}}}` twice"));
        }
        out.push(name.to_string());
        rest = &rest[start + len + 1..];
    }
    if rest.contains('}') {
        return Err(format!("path `{path}` has a stray `}}`"));
    }
    Ok(out)
}
