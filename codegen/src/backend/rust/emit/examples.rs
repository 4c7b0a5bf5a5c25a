//! Example calls: one per operation, with values taken from the spec (a
//! field's `example:`) or made up from its type. The same call is shown in the
//! operation's rustdoc (compiled as a doctest) and run against the mock by the
//! generated examples test, so every endpoint of the spec is exercised end to
//! end without a hand-written test.

use std::collections::BTreeMap;

use super::super::model::{Field, Kind, Model, Operation, RustType, Schema};
use super::super::naming;

/// Builds example calls for the operations of `model`.
pub struct Examples<'a> {
    schemas: BTreeMap<&'a str, &'a Schema>,
    krate: &'a str,
}

impl<'a> Examples<'a> {
    /// Example builder for `model`'s client, the crate `krate` (`pathbound_client`).
    pub fn new(model: &'a Model) -> Self {
        let schemas = model
            .modules
            .iter()
            .flat_map(|m| m.schemas.iter())
            .map(|s| (s.name.as_str(), s))
            .collect();
        Examples {
            schemas,
            krate: &model.crate_name,
        }
    }

    /// `client.contacts().create("ada@example.com")`, or `None` when an
    /// argument's type has no example value (a union without a default).
    pub fn call(&self, resource: &str, op: &Operation) -> Option<String> {
        let args = op
            .arguments()
            .into_iter()
            .map(|(f, _)| self.value(f, &f.ty))
            .collect::<Option<Vec<String>>>()?;
        Some(format!(
            "client.{}().{}({})",
            naming::ident(resource),
            naming::ident(&op.method_name),
            args.join(", ")
        ))
    }

    /// The rustdoc `# Example` section of `op`.
    pub fn doc(&self, resource: &str, op: &Operation) -> Option<String> {
        let call = self.call(resource, op)?;
        let krate = self.krate;
        // Named after what comes back: `page`, the envelope key, or the type.
        let name = match (&op.pagination, &op.response.key, &op.response.ty) {
            (Some(_), _, _) => Some("page".to_string()),
            (None, Some(key), Some(_)) => Some(naming::snake(key)),
            (None, None, Some(RustType::Named { name, .. })) => Some(naming::snake(name)),
            (None, None, Some(_)) => Some("response".to_string()),
            (None, _, None) => None,
        };
        let binding = match name {
            Some(name) if !naming::is_keyword(&name) && !name.is_empty() => {
                format!("let {name} = ")
            }
            Some(_) => "let response = ".to_string(),
            None => String::new(),
        };
        Some(format!(
            "# Example\n\n```no_run\n# async fn example(client: &{krate}::Client) -> {krate}::Result<()> {{\n{binding}{call}.send().await?;\n# Ok(())\n# }}\n```"
        ))
    }

    /// A Rust expression for an argument of type `ty`, as `f`'s setter takes it.
    fn value(&self, f: &Field, ty: &RustType) -> Option<String> {
        let example = f.example.as_deref();
        let text = |default: String| format!("{:?}", example.map_or(default, str::to_owned));
        Some(match ty {
            RustType::String => text(default_text(&f.wire)),
            // Never a real-looking secret in published docs.
            RustType::Secret => format!("{:?}", "example-secret"),
            RustType::Id(id) => text(format!(
                "{}_123",
                heck::ToSnakeCase::to_snake_case(naming::id_kind(id))
            )),
            RustType::Timestamp => text("2026-04-29T12:00:00.000Z".into()),
            RustType::I64 => {
                let n = example
                    .and_then(|e| e.parse::<i64>().ok())
                    .unwrap_or_else(|| f.min.map_or(1, |m| m.max(1.0) as i64));
                // A bare literal is an `i32` where the setter takes `impl Into<i64>`.
                if i32::try_from(n).is_ok() {
                    n.to_string()
                } else {
                    format!("{n}i64")
                }
            }
            RustType::F64 => format!(
                "{:?}",
                example.and_then(|e| e.parse::<f64>().ok()).unwrap_or(1.0)
            ),
            RustType::Bool => example.unwrap_or("true").to_owned(),
            RustType::Json => format!("serde_json::json!({})", example.unwrap_or("{}")),
            RustType::JsonObject => match example {
                Some(object) => {
                    format!("serde_json::json!({object}).as_object().cloned().unwrap_or_default()")
                }
                None => "serde_json::Map::new()".into(),
            },
            // An array converts into one level of `Vec` only.
            RustType::Vec(inner) if matches!(**inner, RustType::Vec(_)) => return None,
            RustType::Vec(inner) => format!("[{}]", self.value(f, inner)?),
            RustType::Map(_) => "std::collections::BTreeMap::new()".into(),
            RustType::Named { name, .. } => {
                let krate = self.krate;
                match &self.schemas.get(name.as_str())?.kind {
                    Kind::Enum { variants } => {
                        let chosen = example
                            .and_then(|e| variants.iter().find(|v| v.wire == e))
                            .or(variants.first())?;
                        format!("{krate}::types::{name}::{}", chosen.rust)
                    }
                    Kind::Object { default: true, .. } => {
                        format!("{krate}::types::{name}::default()")
                    }
                    _ => return None,
                }
            }
        })
    }
}

/// A plausible value for a string named `wire`.
fn default_text(wire: &str) -> String {
    let wire = wire.to_ascii_lowercase();
    if wire.contains("email") {
        "ada@example.com".into()
    } else if wire.contains("url") {
        "https://example.com/pricing".into()
    } else if wire.contains("domain") {
        "example.com".into()
    } else {
        format!("example {}", wire.replace('_', " "))
    }
}
