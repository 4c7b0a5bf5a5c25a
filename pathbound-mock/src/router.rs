//! Method + path-template routing, built from the spec's operations.
//!
//! A request path matches a template segment by segment: a literal must be equal,
//! a `{name}` placeholder takes any non-empty segment. When several templates
//! match (`/events/types` and `/events/{event_id}`), the one with a literal at
//! the first differing position wins. Operations that share a method and path
//! (`contacts.list` and `contacts.count`) are told apart by their `fixed_query`
//! pairs: a route whose fixed pairs are all present wins over one without any.

use pathbound_model::model::Operation;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param(String),
}

#[derive(Debug, Clone)]
struct Route {
    op: usize,
    method: &'static str,
    segments: Vec<Segment>,
    fixed_query: Vec<(String, String)>,
}

/// The routing table.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
}

/// What a request path resolved to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    /// An operation (its index in spec order) with its path parameters, decoded.
    Found {
        /// Index into the operation list.
        op: usize,
        /// `(name, value)` in template order.
        params: Vec<(String, String)>,
    },
    /// The path exists, but not for this method; the allowed methods.
    WrongMethod(Vec<&'static str>),
    /// No template matches.
    NotFound,
}

impl Router {
    /// A router for `operations` (indices are positions in that slice).
    pub fn new(operations: &[Operation]) -> Router {
        let routes = operations
            .iter()
            .enumerate()
            .map(|(op, o)| Route {
                op,
                method: o.method.as_str(),
                segments: split(&o.path)
                    .map(
                        |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                            Some(name) => Segment::Param(name.to_owned()),
                            None => Segment::Literal(s.to_owned()),
                        },
                    )
                    .collect(),
                fixed_query: o.fixed_query.clone(),
            })
            .collect();
        Router { routes }
    }

    /// Resolves `method` and `path` (relative to the base path, still
    /// percent-encoded) given the request's decoded query pairs.
    pub fn resolve(&self, method: &str, path: &str, query: &[(String, String)]) -> Match {
        let segments: Vec<String> = split(path).map(percent_decode).collect();
        let matching: Vec<&Route> = self
            .routes
            .iter()
            .filter(|r| matches_path(&r.segments, &segments))
            .collect();
        if matching.is_empty() {
            return Match::NotFound;
        }
        let best = matching
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method))
            .filter(|r| {
                r.fixed_query
                    .iter()
                    .all(|(k, v)| query.iter().any(|(qk, qv)| qk == k && qv == v))
            })
            .max_by_key(|r| (literal_mask(&r.segments), r.fixed_query.len()));
        match best {
            Some(route) => Match::Found {
                op: route.op,
                params: route
                    .segments
                    .iter()
                    .zip(&segments)
                    .filter_map(|(t, v)| match t {
                        Segment::Param(name) => Some((name.clone(), v.clone())),
                        Segment::Literal(_) => None,
                    })
                    .collect(),
            },
            None => {
                let mut allowed: Vec<&'static str> = matching.iter().map(|r| r.method).collect();
                allowed.sort_unstable();
                allowed.dedup();
                Match::WrongMethod(allowed)
            }
        }
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter(|s| !s.is_empty())
}

fn matches_path(template: &[Segment], segments: &[String]) -> bool {
    template.len() == segments.len()
        && template.iter().zip(segments).all(|(t, s)| match t {
            Segment::Literal(l) => l == s,
            Segment::Param(_) => !s.is_empty(),
        })
}

/// Literal positions as bits, most significant first, so a literal earlier in the
/// path outranks any number of literals later.
fn literal_mask(template: &[Segment]) -> u64 {
    template.iter().take(63).fold(0u64, |mask, s| {
        (mask << 1) | u64::from(matches!(s, Segment::Literal(_)))
    })
}

/// Decodes `%XX` escapes (invalid escapes are kept as written; invalid UTF-8 is
/// replaced), so path parameters arrive as the client meant them.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |j: usize| bytes.get(j).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{Match, percent_decode};
    use crate::spec::embedded_api;

    fn op_id(method: &str, path: &str, query: &[(&str, &str)]) -> String {
        let api = embedded_api().unwrap();
        let query: Vec<(String, String)> = query
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        match api.router.resolve(method, path, &query) {
            Match::Found { op, params } => {
                let names: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
                format!("{} {}", api.operations[op].id, names.join(","))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn literals_win_and_fixed_queries_pick_the_operation() {
        assert_eq!(op_id("GET", "/events/types", &[]), "events.types ");
        assert_eq!(
            op_id("GET", "/events/evt_1", &[]),
            "events.get event_id=evt_1"
        );
        assert_eq!(op_id("GET", "/contacts", &[]), "contacts.list ");
        assert_eq!(
            op_id("GET", "/contacts", &[("count_only", "true")]),
            "contacts.count "
        );
        assert_eq!(
            op_id("GET", "/contacts/events/notes", &[]),
            "contacts.list_events contact_id=notes"
        );
        assert_eq!(
            op_id("GET", "/agents/runs/r1", &[]),
            "agents.get_run run_id=r1"
        );
        assert_eq!(
            op_id("GET", "/contacts/ct%2F1", &[]),
            "contacts.get contact_id=ct/1"
        );
        assert_eq!(
            op_id("PATCH", "/contacts", &[]),
            "WrongMethod([\"GET\", \"POST\"])"
        );
        assert_eq!(op_id("GET", "/nope", &[]), "NotFound");
        assert_eq!(op_id("GET", "/contacts//", &[]), "contacts.list ");
    }

    #[test]
    fn percent_decoding_is_total() {
        assert_eq!(percent_decode("a%20b%zz%"), "a b%zz%");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }
}
