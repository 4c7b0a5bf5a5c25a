//! Finding the line and column of a spec node.
//!
//! `serde_yaml` reports positions for syntax errors but its `Value` tree forgets
//! them. The spec is written in block-style YAML, so a light scan of the text is
//! enough to map a key path (`endpoints.create.body`) back to the line where that
//! key is written. One level of flow mappings (`{ type: string }`) and block
//! sequence items (`- lead`) are located too; anything deeper resolves to its
//! nearest located ancestor, which is still the right neighbourhood.

use std::collections::HashMap;

use crate::ast::SourceFile;
use crate::diagnostics::Diagnostic;

/// The spec's files, each with its [`Locator`]: turns an [`Origin`] into a
/// located [`Diagnostic`]. The loader builds it once; the validator, the model
/// and every backend that checks the model report through it.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    locators: Vec<Locator>,
}

impl Sources {
    /// Scans every file once (main file first).
    pub fn new(files: Vec<SourceFile>) -> Self {
        let locators = files.iter().map(|f| Locator::new(&f.text)).collect();
        Sources { files, locators }
    }

    /// The files, main file first.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// The display name of file `index` (`spec/resources/contacts.yaml`).
    pub fn name(&self, index: usize) -> &str {
        self.files.get(index).map_or("<spec>", |f| f.name.as_str())
    }

    /// A diagnostic at `origin`, with its file, line, column and spec path.
    pub fn diagnostic(&self, origin: &Origin, message: impl Into<String>) -> Diagnostic {
        let (line, column) = self
            .locators
            .get(origin.file)
            .and_then(|l| l.locate(&origin.yaml))
            .map_or((None, None), |(l, c)| (Some(l), Some(c)));
        Diagnostic {
            file: self.name(origin.file).to_string(),
            line,
            column,
            spec_path: origin.spec_path(),
            message: message.into(),
            help: None,
        }
    }

    /// `file:line` of `origin` (or just the file when the line is unknown), for
    /// messages that point at a second place.
    pub fn short_location(&self, origin: &Origin) -> String {
        let d = self.diagnostic(origin, "");
        match d.line {
            Some(line) => format!("{}:{line}", d.file),
            None => d.file,
        }
    }
}

/// Where a node sits: the file, its key path inside that file, and the spec path
/// shown to people (which, for resource files, includes the resource name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Index into the loaded files.
    pub file: usize,
    /// Key path inside the file, used to find the line.
    pub yaml: Vec<String>,
    /// Spec path shown in errors.
    pub spec: Vec<String>,
}

impl Origin {
    /// The root of file `file`, shown under the spec path `spec_prefix`.
    pub fn root(file: usize, spec_prefix: &[&str]) -> Self {
        Origin {
            file,
            yaml: Vec::new(),
            spec: spec_prefix.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// The node under `key`.
    pub fn child(&self, key: &str) -> Self {
        let mut o = self.clone();
        o.yaml.push(key.to_string());
        o.spec.push(key.to_string());
        o
    }

    /// The node under `key` in the file, shown under the absolute spec path `shown`
    /// (a resource's `endpoints` are `endpoints.<resource>` and its schemas
    /// `schemas`, wherever the resource is written).
    pub fn child_shown_as(&self, key: &str, shown: &[&str]) -> Self {
        let mut o = self.clone();
        o.yaml.push(key.to_string());
        o.spec = shown.iter().map(|s| s.to_string()).collect();
        o
    }

    /// The dotted spec path.
    pub fn spec_path(&self) -> String {
        let mut out = String::new();
        for seg in &self.spec {
            if !out.is_empty() && !seg.starts_with('[') {
                out.push('.');
            }
            out.push_str(seg);
        }
        out
    }
}

/// Line and column (both 1-based) of every key the scan recognised in one file.
#[derive(Debug, Clone, Default)]
pub struct Locator {
    positions: HashMap<Vec<String>, (usize, usize)>,
}

impl Locator {
    /// Scans `text` once.
    pub fn new(text: &str) -> Self {
        let mut positions = HashMap::new();
        // (indent, path) of open block nodes; sequences push an index segment.
        let mut stack: Vec<(usize, Vec<String>)> = vec![];
        let mut seq_counters: HashMap<(Vec<String>, usize), usize> = HashMap::new();
        let mut block_scalar_indent: Option<usize> = None;

        for (line_idx, raw) in text.lines().enumerate() {
            let line_no = line_idx + 1;
            let trimmed = raw.trim_start_matches(' ');
            let mut indent = raw.len() - trimmed.len();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            if let Some(scalar_indent) = block_scalar_indent {
                if indent > scalar_indent {
                    continue;
                }
                block_scalar_indent = None;
            }
            if trimmed.starts_with("---") {
                continue;
            }
            let mut content = trimmed;
            while let Some(rest) = content
                .strip_prefix("- ")
                .or_else(|| (content == "-").then_some(""))
            {
                pop_to(&mut stack, indent);
                let parent = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
                let counter = seq_counters.entry((parent.clone(), indent)).or_insert(0);
                let mut path = parent;
                path.push(format!("[{}]", *counter));
                *counter += 1;
                positions
                    .entry(path.clone())
                    .or_insert((line_no, indent + 1));
                stack.push((indent, path));
                let skipped = content.len() - rest.len();
                indent += skipped;
                content = rest.trim_start_matches(' ');
                indent += rest.len() - content.len();
            }
            let Some((key, value)) = split_key(content) else {
                continue;
            };
            pop_to(&mut stack, indent);
            let mut path = stack.last().map(|(_, p)| p.clone()).unwrap_or_default();
            path.push(key.clone());
            positions
                .entry(path.clone())
                .or_insert((line_no, indent + 1));
            let value = strip_comment(value).trim();
            if value.starts_with('|') || value.starts_with('>') {
                block_scalar_indent = Some(indent);
            }
            if let Some(inner) = value.strip_prefix('{') {
                // `inner` borrows from `raw`, so its start is a column in the line.
                let inner_start = inner.as_ptr() as usize - raw.as_ptr() as usize;
                for (k, offset) in flow_keys(inner) {
                    let mut p = path.clone();
                    p.push(k);
                    positions
                        .entry(p)
                        .or_insert((line_no, inner_start + offset + 1));
                }
            }
            stack.push((indent, path));
        }
        Locator { positions }
    }

    /// The position of `path`, or of its nearest located ancestor.
    pub fn locate(&self, path: &[String]) -> Option<(usize, usize)> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.positions.get(&path[..n]).copied())
    }
}

fn pop_to(stack: &mut Vec<(usize, Vec<String>)>, indent: usize) {
    while stack.last().is_some_and(|(i, _)| *i >= indent) {
        stack.pop();
    }
}

/// Splits `key: value` (or `key:`), honouring quoted keys and keys with colons
/// such as `contacts:read:`.
fn split_key(content: &str) -> Option<(String, &str)> {
    if let Some(quote) = content.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let end = content[1..].find(quote)? + 1;
        let key = content[1..end].to_string();
        let rest = content[end + 1..].trim_start();
        let value = rest.strip_prefix(':')?;
        return Some((key, value));
    }
    if content.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
        return None;
    }
    let idx = content.find(": ").or_else(|| {
        let t = strip_comment(content).trim_end();
        t.ends_with(':').then(|| t.len() - 1)
    })?;
    let key = content[..idx].trim().to_string();
    Some((key, &content[idx + 1..]))
}

fn strip_comment(s: &str) -> &str {
    match s.find(" #") {
        Some(i) => &s[..i],
        None => s,
    }
}

/// Keys of a one-line flow mapping body (after `{`) with their byte offsets.
fn flow_keys(inner: &str) -> Vec<(String, usize)> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    let mut in_quote: Option<char> = None;
    let bytes: Vec<(usize, char)> = inner.char_indices().collect();
    let mut push_key = |segment: &str, offset: usize| {
        let lead = segment.len() - segment.trim_start().len();
        if let Some((k, _)) = split_key(segment.trim_start()) {
            keys.push((k, offset + lead));
        }
    };
    for &(i, c) in &bytes {
        match (in_quote, c) {
            (Some(q), c) if c == q => in_quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => in_quote = Some(c),
            (None, '{' | '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '}') if depth == 0 => {
                push_key(&inner[start..i], start);
                return keys;
            }
            (None, '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                push_key(&inner[start..i], start);
                start = i + 1;
            }
            _ => {}
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn locates_block_keys_flow_keys_and_items() {
        let text = "\
api:
  title: X
scopes:
  contacts:read:
    description: |
      text: not a key
    opt_in: true
schemas:
  Stage:
    enum:
      - lead
      - mql
  C:
    fields:
      email: { type: strng, required: true }
";
        let loc = Locator::new(text);
        assert_eq!(loc.locate(&p(&["api", "title"])), Some((2, 3)));
        assert_eq!(
            loc.locate(&p(&["scopes", "contacts:read", "opt_in"])),
            Some((7, 5))
        );
        assert_eq!(
            loc.locate(&p(&["scopes", "contacts:read", "description", "text"])),
            Some((5, 5))
        );
        assert_eq!(
            loc.locate(&p(&["schemas", "Stage", "enum", "[1]"])),
            Some((12, 7))
        );
        assert_eq!(
            loc.locate(&p(&["schemas", "C", "fields", "email", "type"])),
            Some((15, 16))
        );
        assert_eq!(
            loc.locate(&p(&["schemas", "C", "fields", "email", "required"])),
            Some((15, 29))
        );
    }
}
