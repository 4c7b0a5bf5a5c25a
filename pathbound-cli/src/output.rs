//! Printing results: JSON (pretty on a terminal, compact when piped), NDJSON
//! for `--all`, or aligned columns (`-o table`). Everything goes to stdout, and
//! only after the call succeeded; diagnostics go to stderr.

use std::io::Write;

use serde_json::{Map, Value};

use crate::error::CliError;

/// `-o json|table`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON.
    Json,
    /// Aligned columns.
    Table,
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Output {
    /// The format.
    pub format: Format,
    /// Pretty JSON (stdout is a terminal).
    pub pretty: bool,
    /// `--debug`: the request id on stderr.
    pub debug: bool,
}

/// The widest a table cell gets before it is cut.
const CELL_WIDTH: usize = 48;

impl Output {
    /// With `--debug`, the response's request id on stderr.
    pub fn request_id(&self, id: Option<&str>) {
        if self.debug {
            match id {
                Some(id) => eprintln!("request id: {}", id.escape_debug()),
                None => eprintln!("request id: (none sent)"),
            }
        }
    }

    /// Prints a value; a call without a response body prints nothing.
    pub fn value(&self, value: &Value) -> Result<(), CliError> {
        if value.is_null() {
            return Ok(());
        }
        let text = match self.format {
            Format::Json => self.json(value),
            Format::Table => match value {
                Value::Array(rows) => table(rows),
                Value::Object(map) => key_values(map),
                other => compact(other),
            },
        };
        write_out(&text)
    }

    /// Prints a page of a list: as JSON whole, as a table its items.
    pub fn page(&self, items_key: &str, page: &Value) -> Result<(), CliError> {
        match (self.format, page.get(items_key)) {
            (Format::Table, Some(Value::Array(rows))) => write_out(&table(rows)),
            _ => self.value(page),
        }
    }

    /// A writer of list items as they arrive.
    pub fn lines(&self) -> Lines {
        Lines {
            format: self.format,
            rows: Vec::new(),
        }
    }

    fn json(&self, value: &Value) -> String {
        if self.pretty {
            serde_json::to_string_pretty(value).unwrap_or_default()
        } else {
            compact(value)
        }
    }
}

/// Items of `--all`: one JSON line each, written and flushed at once; for a
/// table they are collected so the columns can be aligned.
pub struct Lines {
    format: Format,
    rows: Vec<Value>,
}

impl Lines {
    /// One item.
    pub fn item(&mut self, item: &Value) -> Result<(), CliError> {
        match self.format {
            Format::Json => write_out(&compact(item)),
            Format::Table => {
                self.rows.push(item.clone());
                Ok(())
            }
        }
    }

    /// The end of the list.
    pub fn finish(self) -> Result<(), CliError> {
        match self.format {
            Format::Json => Ok(()),
            Format::Table => write_out(&table(&self.rows)),
        }
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// Writes `text` and a newline to stdout and flushes.
fn write_out(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(CliError::Output)
}

/// A cell: strings as they are, other scalars as JSON, nested values as
/// compact JSON; control characters escaped, long text cut.
fn cell(value: Option<&Value>) -> String {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => compact(other),
    };
    let text: String = text
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > CELL_WIDTH {
        let cut: String = text.chars().take(CELL_WIDTH - 1).collect();
        format!("{cut}…")
    } else {
        text
    }
}

/// Rows of objects as aligned columns: every key with a scalar value in some
/// row, identifiers first.
fn table(rows: &[Value]) -> String {
    let mut columns: Vec<String> = Vec::new();
    for row in rows {
        if let Value::Object(map) = row {
            for (k, v) in map {
                if !v.is_object() && !v.is_array() && !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
    }
    // Identifiers first (`contact_id`, `id`), the rest in key order.
    let is_id = |k: &String| k == "id" || k.ends_with("_id");
    columns.sort_by_key(|k| !is_id(k));
    if columns.is_empty() {
        let cells: Vec<Vec<String>> = rows.iter().map(|r| vec![cell(Some(r))]).collect();
        return aligned(&["VALUE".to_owned()], &cells);
    }
    let header: Vec<String> = columns.iter().map(|c| c.to_uppercase()).collect();
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| columns.iter().map(|c| cell(r.get(c))).collect())
        .collect();
    aligned(&header, &cells)
}

fn key_values(map: &Map<String, Value>) -> String {
    let cells: Vec<Vec<String>> = map
        .iter()
        .map(|(k, v)| vec![k.clone(), cell(Some(v))])
        .collect();
    aligned(&["KEY".to_owned(), "VALUE".to_owned()], &cells)
}

fn aligned(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (c, w)) in cells.iter().zip(&widths).enumerate() {
            if i + 1 == cells.len() {
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&" ".repeat(w - c.chars().count() + 2));
            }
        }
        out
    };
    let mut out = line(header);
    for row in rows {
        out.push('\n');
        out.push_str(line(row).trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn tables_align_scalar_columns_and_cut_long_cells() {
        let rows = vec![
            json!({"id": "ct_1", "email": "ada@example.com", "properties": {"a": 1}}),
            json!({"id": "ct_22", "email": "b@x.io", "score": 3}),
        ];
        let text = table(&rows);
        assert_eq!(
            text,
            "ID     EMAIL            SCORE\nct_1   ada@example.com\nct_22  b@x.io           3"
        );
        let long = "x".repeat(100);
        assert_eq!(cell(Some(&json!(long))).chars().count(), CELL_WIDTH);
        assert_eq!(cell(Some(&json!("a\nb"))), "a\\nb");
    }
}
