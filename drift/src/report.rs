//! [`Report`]: the drifts located in the spec, each with a suggested edit, and
//! the operations that were called or skipped; as text or JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pathbound_model::Model;
use pathbound_model::locate::Origin;
use pathbound_model::model::{Field, Kind, Operation};
use serde_json::{Value, json};

use crate::check::{DriftKey, DriftKind, DriftSeen, Observations};
use crate::plan::Skip;

/// One drift, located in the spec.
#[derive(Clone, Debug)]
pub struct Finding {
    /// What drifted, and where in the API's terms.
    pub key: DriftKey,
    /// What was seen of it.
    pub seen: DriftSeen,
    /// The spec file (`spec/resources/contacts.yaml`).
    pub file: String,
    /// 1-based line of the place to edit, when found.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// The spec path (`schemas.Contact.fields`).
    pub spec_path: String,
    /// What differs.
    pub message: String,
    /// The edit that makes the spec say what the API does.
    pub suggestion: String,
}

/// The outcome of a drift run.
#[derive(Clone, Debug)]
pub struct Report {
    /// Every drift, by file, then line.
    pub findings: Vec<Finding>,
    /// The operations called, in order.
    pub called: Vec<String>,
    /// The operations not called, with why.
    pub skipped: Vec<(String, String, String)>,
    /// The key's scopes, when the API reported them.
    pub scopes: Option<Vec<String>>,
}

impl Report {
    /// Locates every drift in `observations` and suggests an edit for it.
    pub fn new(
        model: &Model,
        observations: Observations,
        called: Vec<String>,
        skipped: Vec<(String, Skip)>,
        scopes: Option<Vec<String>>,
    ) -> Report {
        let mut findings: Vec<Finding> = observations
            .drifts
            .into_iter()
            .map(|(key, seen)| locate(model, &observations.objects, key, seen))
            .collect();
        findings.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.key).cmp(&(&b.file, b.line, b.column, &b.key))
        });
        let skipped = skipped
            .into_iter()
            .map(|(id, skip)| {
                let reason = model
                    .operations()
                    .find(|o| o.id == id)
                    .map_or_else(|| format!("{skip:?}"), |op| skip.reason(op));
                (id, skip.code().to_owned(), reason)
            })
            .collect();
        Report {
            findings,
            called,
            skipped,
            scopes,
        }
    }

    /// Whether the API differs from the spec anywhere (notes aside).
    pub fn drifted(&self) -> bool {
        self.drifts().next().is_some()
    }

    /// The findings that are drift, not notes.
    pub fn drifts(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.key.kind.is_note())
    }

    /// The findings that are only notes ([`DriftKind::is_note`]).
    pub fn notes(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.key.kind.is_note())
    }

    /// The report for people: drifts grouped by file, in line order, then the
    /// notes, then what was called and skipped.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let drifts: Vec<&Finding> = self.drifts().collect();
        let notes: Vec<&Finding> = self.notes().collect();
        if drifts.is_empty() {
            out.push_str("No drift: every response matched the spec.\n");
        } else {
            write_grouped(&mut out, &drifts);
        }
        if !notes.is_empty() {
            out.push_str("\nNotes (not drift: weak evidence, or nothing the client reads):\n");
            write_grouped(&mut out, &notes);
        }
        let _ = writeln!(
            out,
            "\n{} drift(s), {} note(s); {} operation(s) called, {} skipped.",
            drifts.len(),
            notes.len(),
            self.called.len(),
            self.skipped.len()
        );
        if let Some(scopes) = &self.scopes {
            let _ = writeln!(out, "Key scopes: {}", scopes.join(", "));
        }
        if !self.called.is_empty() {
            let _ = writeln!(out, "Called: {}", self.called.join(", "));
        }
        if !self.skipped.is_empty() {
            let _ = writeln!(out, "Skipped:");
            for (id, _, reason) in &self.skipped {
                let _ = writeln!(out, "  {id}: {reason}");
            }
        }
        out
    }

    /// The report as JSON: `drifted`, `findings`, `called`, `skipped`, `scopes`.
    pub fn to_json(&self) -> Value {
        json!({
            "drifted": self.drifted(),
            "findings": self.findings.iter().map(|f| json!({
                "kind": f.key.kind.as_str(),
                "severity": if f.key.kind.is_note() { "note" } else { "drift" },
                "subject": f.key.subject,
                "name": f.key.name,
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "spec_path": f.spec_path,
                "message": f.message,
                "suggestion": f.suggestion,
                "count": f.seen.count,
                "example": f.seen.example,
                "operations": f.seen.operations,
                "expected": f.seen.expected,
                "seen_types": f.seen.shape.describe(),
            })).collect::<Vec<_>>(),
            "called": self.called,
            "skipped": self.skipped.iter().map(|(id, code, reason)| json!({
                "operation": id, "why": code, "reason": reason,
            })).collect::<Vec<_>>(),
            "scopes": self.scopes,
        })
    }
}

/// `findings` (sorted by file and line), under a heading per file.
fn write_grouped(out: &mut String, findings: &[&Finding]) {
    let mut file = None;
    for f in findings {
        if file != Some(&f.file) {
            let _ = writeln!(out, "{}", f.file);
            file = Some(&f.file);
        }
        let at = match (f.line, f.column) {
            (Some(l), Some(c)) => format!(":{l}:{c}"),
            (Some(l), None) => format!(":{l}"),
            _ => String::new(),
        };
        let _ = writeln!(out, "  {}{at}: {}: {}", f.file, f.spec_path, f.message);
        if !f.seen.example.is_empty() {
            let ops: Vec<&str> = f.seen.operations.iter().map(String::as_str).collect();
            let _ = writeln!(
                out,
                "      seen {} time(s), e.g. {} in {}",
                f.seen.count,
                f.seen.example,
                ops.join(", ")
            );
        }
        let _ = writeln!(out, "      suggestion: {}", f.suggestion);
    }
}

/// The finding for one drift: where to edit, and what.
fn locate(
    model: &Model,
    objects: &BTreeMap<String, u64>,
    key: DriftKey,
    seen: DriftSeen,
) -> Finding {
    let schema = model.schema(&key.subject);
    let field = schema.and_then(|s| match &s.kind {
        Kind::Object { fields, .. } => fields.iter().find(|f| f.wire == key.name),
        _ => None,
    });
    let op = model.operations().find(|o| o.id == key.subject);
    let name = &key.name;
    let subject = &key.subject;
    let (origin, message, suggestion): (Option<Origin>, String, String) = match key.kind {
        DriftKind::UndeclaredKey => {
            let origin = schema.map(|s| s.origin.child("fields"));
            let nullable = if seen.shape.null {
                ", nullable: true"
            } else {
                ""
            };
            let at = origin
                .as_ref()
                .map(|o| model.sources.short_location(o))
                .unwrap_or_default();
            (
                origin,
                format!(
                    "`{subject}` has a key the spec does not declare: `{name}` ({})",
                    seen.shape.describe()
                ),
                format!(
                    "add field {}: {{ type: {}{nullable} }} under {at}",
                    yaml_key(name),
                    seen.shape.type_expr()
                ),
            )
        }
        DriftKind::UnlistedEnumValue => (
            schema.map(|s| s.origin.child("enum")),
            format!("`{subject}` has a value the spec does not list: `{name}`"),
            format!("add `- {}` to the values of `{subject}`", yaml_key(name)),
        ),
        DriftKind::RequiredMissing => {
            let of = objects.get(subject).copied().unwrap_or(0);
            (
                field.map(|f| f.origin.child("required")),
                format!(
                    "required field `{subject}.{name}` was absent in {} of {of} object(s)",
                    seen.count
                ),
                format!("remove `required: true` from `{name}` (it becomes optional)"),
            )
        }
        DriftKind::UnexpectedNull => (
            field.map(|f| f.origin.clone()),
            format!("`{subject}.{name}` was `null`, and the spec does not say `nullable`"),
            format!("add `nullable: true` to `{name}`"),
        ),
        DriftKind::TypeMismatch => mismatch(op, field, &key, &seen),
        DriftKind::NeverSeen => (
            field.map(|f| f.origin.clone()),
            format!(
                "optional field `{subject}.{name}` appeared in none of {} object(s)",
                seen.count
            ),
            format!(
                "check whether the API still sends `{name}`: if it was renamed, add the new key (an undeclared key of `{subject}`) to its `aliases`; if it was dropped, mark it `deprecated:` or remove it"
            ),
        ),
        DriftKind::EnvelopeMissing | DriftKind::EnvelopeExtra => envelope(op, &key, &seen),
    };
    let origin = origin
        .or_else(|| schema.map(|s| s.origin.clone()))
        .or_else(|| op.map(|o| o.origin.clone()));
    let (file, line, column, spec_path) = match &origin {
        Some(o) => {
            let d = model.diagnostic(o, "");
            (d.file, d.line, d.column, d.spec_path)
        }
        None => (model.main_file().to_owned(), None, None, String::new()),
    };
    Finding {
        key,
        seen,
        file,
        line,
        column,
        spec_path,
        message,
        suggestion,
    }
}

fn mismatch(
    op: Option<&Operation>,
    field: Option<&Field>,
    key: &DriftKey,
    seen: &DriftSeen,
) -> (Option<Origin>, String, String) {
    let inferred = seen.shape.type_expr();
    let kinds = seen.shape.describe();
    let expected = &seen.expected;
    let numbers_as_text = seen.shape.numeric_string
        && !seen.shape.string
        && matches!(expected.as_str(), "integer" | "number" | "datetime");
    match field {
        Some(f) => {
            let whole = f.ty.to_string() == *expected;
            let suggestion = if numbers_as_text && !f.lenient {
                format!(
                    "add `lenient: true` to `{}` (it then accepts numbers sent as text), or change its type to `string`",
                    f.wire
                )
            } else if whole {
                format!(
                    "change `type: {expected}` of `{}` to `type: {inferred}`",
                    f.wire
                )
            } else {
                format!(
                    "values inside `{}` ({}) are {kinds}, not `{expected}`: change the item type to `{inferred}`",
                    f.wire, f.ty
                )
            };
            (
                Some(f.origin.child("type")),
                format!(
                    "`{}.{}` is declared `{expected}`, and the API sent {kinds}",
                    key.subject, f.wire
                ),
                suggestion,
            )
        }
        None => (
            op.map(|o| o.origin.child("response").child("type")),
            format!(
                "the response of `{}` is declared `{expected}`, and the API sent {kinds}",
                key.subject
            ),
            format!("change `response.type` to a type that accepts {kinds} (e.g. `{inferred}`)"),
        ),
    }
}

fn envelope(
    op: Option<&Operation>,
    key: &DriftKey,
    seen: &DriftSeen,
) -> (Option<Origin>, String, String) {
    let name = &key.name;
    let Some(op) = op else {
        return (None, format!("envelope key `{name}`"), String::new());
    };
    let items = op.pagination.as_ref().map(|p| p.items.as_str());
    let (place, setting) = match items {
        Some(_) => (
            op.origin.child("pagination").child("items"),
            "pagination.items",
        ),
        None => (op.origin.child("response").child("key"), "response.key"),
    };
    if Some(name.as_str()) == items || Some(name) == op.response.key.as_ref() || name == "(body)" {
        (
            Some(place),
            format!("the response of `{}` has no {}", key.subject, seen.expected),
            format!(
                "set `{setting}` to the key that holds the value now (the envelope's other keys are reported next to this)"
            ),
        )
    } else {
        (
            Some(place),
            format!(
                "the envelope of `{}` has a key the spec does not expect: `{name}` ({})",
                key.subject,
                seen.shape.describe()
            ),
            format!(
                "if `{name}` now holds the value, set `{setting}: {name}`; otherwise nothing to change in the spec (the client ignores envelope keys it does not read)"
            ),
        )
    }
}

/// `name` as a YAML key: quoted when plain YAML would not read it back as is.
fn yaml_key(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.')
        && !matches!(
            name,
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "~"
        );
    if plain {
        name.to_owned()
    } else {
        serde_json::to_string(name).unwrap_or_default()
    }
}
