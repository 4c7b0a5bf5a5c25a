//! Every Rust name the generator writes: case conversion, keyword escaping, and
//! the names the runtime and the generated `Client` already take, in one place.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

/// Type names the runtime or the generated module root already uses.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "Result",
    "Page",
    "PageInfo",
    "Timestamp",
    "RequestOptions",
    "Scope",
    "Operation",
    "Response",
    "Value",
    "Map",
    "BTreeMap",
    "String",
    "Vec",
    "Option",
];

/// Module names the generated layout uses besides the resources (`generated`
/// is the private module a client crate mounts the generated code as, which
/// would hide a resource module of that name).
pub const RESERVED_MODULES: &[&str] = &["common", "scopes", "ids", "types", "runtime", "generated"];

/// Methods of the generated `Client` (its own, and those of the traits it
/// implements), which a resource accessor must not shadow. A test checks this
/// list against the generated code.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "builder",
    "with_scopes",
    "without_scope_checks",
    "scopes",
    "base_url",
    "clone",
    "clone_from",
    "fmt",
    "from_runtime",
    "to_owned",
    "into",
    "try_into",
    "borrow",
    "type_id",
];

/// Methods every resource accessor (`ContactsApi`) has through its derives,
/// which an operation must not shadow.
pub const ACCESSOR_METHODS: &[&str] = &[
    "clone",
    "clone_from",
    "fmt",
    "to_owned",
    "into",
    "try_into",
    "borrow",
    "type_id",
];

/// Methods every request already has, which parameters must not shadow.
pub const RESERVED_METHODS: &[&str] = &[
    "send",
    "send_with_response",
    "stream",
    "timeout",
    "max_retries",
    "deadline",
    "new",
    "options",
    "client",
    "clone",
    "clone_from",
    "fmt",
    "set_position",
    "position",
    "fetch_page",
];

/// Names of the Rust prelude. The generated modules use them unqualified
/// (`Box`, `From`, `Into`, `IntoIterator`, `String`, ...), and `types::*` is
/// meant to be glob-imported, so no generated type may take one.
pub const PRELUDE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Rust keywords (2024 edition, strict and reserved) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot even be raw identifiers (`r#self` is not Rust): a name
/// that would be one is written with a trailing `_` (`self_`, `Self_`).
pub const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The ASCII spelling of a lowercase non-ASCII letter: German umlauts and `ß`
/// as a German writes them without (`ä` → `ae`, `ß` → `ss`), other Latin letters
/// without their accent (`é` → `e`, `ñ` → `n`, `ø` → `o`, `æ` → `ae`).
fn latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ä' => "ae",
        'ö' => "oe",
        'ü' => "ue",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ĳ' => "ij",
        'þ' => "th",
        'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
        'ţ' | 'ť' | 'ŧ' | 'ț' => "t",
        'ù' | 'ú' | 'û' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Non-ASCII characters that only separate words, as ASCII punctuation does:
/// spaces, dashes, quotes, bullets.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '‐' | '‑'
                | '‒'
                | '–'
                | '—'
                | '―'
                | '‘'
                | '’'
                | '‚'
                | '‛'
                | '“'
                | '”'
                | '„'
                | '‟'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '·'
                | '•'
                | '…'
                | '¡'
                | '¿'
        )
}

/// A combining accent (`e` + U+0301 is `é` written in two characters).
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36f}').contains(&c)
}

/// How one character of a wire name is spelled in an identifier.
enum Spelling {
    /// ASCII letters and digits, kept.
    Ascii(char),
    /// A Latin letter spelled in ASCII (`ö` → `oe`).
    Letters(&'static str, bool),
    /// Punctuation or space: a word break.
    Break,
    /// An accent on the previous letter: dropped, but a diaeresis on `a`, `o`
    /// or `u` is written `e`, as the precomposed letter is.
    Accent(char),
    /// No ASCII spelling (CJK, Cyrillic, emoji, `€`).
    None,
}

fn spelling(c: char) -> Spelling {
    if c.is_ascii_alphanumeric() {
        Spelling::Ascii(c)
    } else if c.is_ascii() || is_separator(c) {
        Spelling::Break
    } else if is_combining(c) {
        Spelling::Accent(c)
    } else if c == 'İ' {
        // Turkish: its lowercase is `i` plus a combining dot.
        Spelling::Letters("i", true)
    } else if let Some(s) = latin(c) {
        Spelling::Letters(s, false)
    } else {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if c.is_uppercase() => match latin(l) {
                Some(s) => Spelling::Letters(s, true),
                None => Spelling::None,
            },
            _ => Spelling::None,
        }
    }
}

/// The first character of `wire` that has no ASCII spelling (`名`, `🙂`, `€`),
/// if any: the identifier for such a name must be given (`rust_name`).
pub fn unspellable(wire: &str) -> Option<char> {
    wire.chars()
        .find(|&c| matches!(spelling(c), Spelling::None))
}

/// `wire` in ASCII letters, digits and `_`: Latin letters spelled out
/// (`Größe` → `Groesse`), everything else that is not a letter or digit a word
/// break (`_`). Characters without a spelling (see [`unspellable`], which the
/// checks report first) are word breaks too.
fn identifier_chars(wire: &str) -> String {
    let chars: Vec<char> = wire.chars().collect();
    let upper = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(|c| c.is_uppercase())
    };
    let mut out = String::with_capacity(wire.len());
    for (i, &c) in chars.iter().enumerate() {
        match spelling(c) {
            Spelling::Ascii(c) => out.push(c),
            Spelling::Letters(s, false) => out.push_str(s),
            Spelling::Letters(s, true) => {
                // `Ä` is `Ae` in `Ärger` and `AE` in `ÄRGER`.
                if upper(i.checked_sub(1)) || upper(Some(i + 1)) {
                    out.push_str(&s.to_ascii_uppercase());
                } else {
                    let mut letters = s.chars();
                    out.extend(letters.next().map(|f| f.to_ascii_uppercase()));
                    out.push_str(letters.as_str());
                }
            }
            Spelling::Accent(accent) => {
                let base = i.checked_sub(1).map(|p| chars[p]);
                if accent == '\u{308}' && base.is_some_and(|b| "aouAOU".contains(b)) {
                    let all_caps = base.is_some_and(char::is_uppercase) && upper(Some(i + 1));
                    out.push(if all_caps { 'E' } else { 'e' });
                }
            }
            Spelling::Break | Spelling::None => out.push('_'),
        }
    }
    out
}

/// The snake_case Rust name of a wire name (`firstName` → `first_name`, `_id` →
/// `id`, `größe` → `groesse`, `self` → `self_`). Always an identifier: a raw one
/// for most keywords (see [`ident`]), with a `_` for those that cannot be raw.
pub fn snake(wire: &str) -> String {
    let s = identifier_chars(wire).to_snake_case();
    if s.is_empty() {
        "value".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("n{s}")
    } else if NOT_RAW.contains(&s.as_str()) {
        s + "_"
    } else {
        s
    }
}

/// The Rust name of a field or parameter: its spec `rust_name`, or its wire
/// name in snake_case.
pub fn field_name(f: &pathbound_model::model::Field) -> String {
    f.rust_name.clone().unwrap_or_else(|| snake(&f.wire))
}

/// The id type of a string field or parameter named `<kind>_id` (or a list
/// named `<kind>_ids`): `contact_id` → `ContactId`, `note_ids` → `NoteId`.
/// The kind is the last word before `_id`, so a qualified name is the same
/// kind of id (`internal_contact_id` → `ContactId`). `None` for other names
/// (a bare `id` names no kind).
pub fn id_type(rust_field: &str) -> Option<String> {
    let field = rust_field.trim_start_matches("r#");
    let qualified = field
        .strip_suffix("_ids")
        .or_else(|| field.strip_suffix("_id"))?;
    let kind = qualified.rsplit('_').next().unwrap_or(qualified);
    (!kind.is_empty()).then(|| format!("{}Id", variant(kind)))
}

/// The marker type of an id type: `ContactId` → `Contact`.
pub fn id_kind(id_type: &str) -> &str {
    id_type.strip_suffix("Id").unwrap_or(id_type)
}

/// The PascalCase form of a name (`pending_approval` → `PendingApproval`,
/// `contacts:read` → `ContactsRead`), to build type names from.
pub fn pascal(wire: &str) -> String {
    let s = identifier_chars(wire).to_pascal_case();
    if s.is_empty() {
        "Empty".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{s}")
    } else {
        s
    }
}

/// The variant name of an enum value, a scope or a union variant: [`pascal`],
/// with `self` written `Self_` (`Self` is a keyword, and cannot be raw).
pub fn variant(wire: &str) -> String {
    let s = pascal(wire);
    if NOT_RAW.contains(&s.as_str()) {
        s + "_"
    } else {
        s
    }
}

/// SCREAMING_SNAKE_CASE (`contacts.create` → `CONTACTS_CREATE`).
pub fn shouty(wire: &str) -> String {
    wire.replace([':', '.', '/', '-'], "_")
        .to_shouty_snake_case()
}

/// True when `name` must be written as a raw identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A valid identifier token for `name` (raw `r#type` for keywords that allow it).
///
/// The names the model decides are never one of [`NOT_RAW`] (they get a `_`,
/// or are rejected); should one get here anyway, it is written with a `_`
/// rather than panicking.
pub fn ident(name: &str) -> proc_macro2::Ident {
    match name {
        "self" | "Self" | "super" | "crate" | "_" => {
            proc_macro2::Ident::new(&format!("{name}_"), proc_macro2::Span::call_site())
        }
        n if is_keyword(n) => proc_macro2::Ident::new_raw(n, proc_macro2::Span::call_site()),
        n => proc_macro2::Ident::new(n, proc_macro2::Span::call_site()),
    }
}

/// The private marker type naming every wire name of an aliased field
/// (`Contact` + `contact_id` → `ContactContactIdNames`).
pub fn wire_names_marker(schema: &str, rust_field: &str) -> String {
    format!("{schema}{}Names", pascal(rust_field))
}

/// The accessor type of a resource: `contacts` → `ContactsApi`.
pub fn resource_api(resource: &str) -> String {
    format!("{}Api", pascal(resource))
}

/// The request builder of an operation: `contacts.create` → `ContactsCreateRequest`.
pub fn request_struct(resource: &str, op: &str) -> String {
    format!("{}{}Request", pascal(resource), pascal(op))
}

/// The query-string struct of an operation: `contacts.list` → `ContactsListQuery`.
pub fn query_struct(resource: &str, op: &str) -> String {
    format!("{}{}Query", pascal(resource), pascal(op))
}

/// The inline body schema of an operation: `contacts.create` → `ContactsCreateBody`.
pub fn body_struct(resource: &str, op: &str) -> String {
    format!("{}{}Body", pascal(resource), pascal(op))
}

/// The `static` holding an operation's metadata: `contacts.create` → `CONTACTS_CREATE`.
pub fn operation_static(resource: &str, op: &str) -> String {
    shouty(&format!("{resource}.{op}"))
}

/// Is `s` a lower snake_case identifier (what a `rust_name` must be)?
pub use pathbound_model::names::is_snake_ident;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_wire_names() {
        assert_eq!(snake("firstName"), "first_name");
        assert_eq!(snake("_id"), "id");
        assert_eq!(snake("createdAt"), "created_at");
        assert_eq!(pascal("pending_approval"), "PendingApproval");
        assert_eq!(pascal("contacts:read"), "ContactsRead");
        assert_eq!(pascal("createdAt"), "CreatedAt");
        assert_eq!(shouty("contacts.list_notes"), "CONTACTS_LIST_NOTES");
        assert_eq!(
            request_struct("contacts", "list_notes"),
            "ContactsListNotesRequest"
        );
        assert_eq!(ident("type").to_string(), "r#type");
        // Any wire text gives a valid identifier (Ident::new would panic otherwise).
        for odd in [
            "€", "a.b", "x-y", "", "9lives", "$ref", "🙂 ok", "__", "self", "Self", "_",
        ] {
            let _ = ident(&snake(odd));
            let _ = proc_macro2::Ident::new(&variant(odd), proc_macro2::Span::call_site());
        }
        assert_eq!(pascal("x-y"), "XY");
    }

    #[test]
    fn keywords_that_cannot_be_raw_get_an_underscore() {
        for kw in ["self", "super", "crate"] {
            assert_eq!(snake(kw), format!("{kw}_"));
        }
        assert_eq!(snake("Self"), "self_");
        assert_eq!(variant("self"), "Self_");
        assert_eq!(variant("Self"), "Self_");
        assert_eq!(variant("super"), "Super");
        assert_eq!(snake("_"), "value");
        assert_eq!(variant("_"), "Empty");
        // Raw identifiers where Rust allows them.
        assert_eq!(snake("type"), "type");
        assert_eq!(ident(&snake("type")).to_string(), "r#type");
        assert_eq!(ident(&snake("gen")).to_string(), "r#gen");
        // Built names are not keywords, whatever their parts.
        assert_eq!(request_struct("things", "self"), "ThingsSelfRequest");
    }

    #[test]
    fn spells_latin_letters_in_ascii() {
        assert_eq!(snake("größe"), "groesse");
        assert_eq!(snake("Größe"), "groesse");
        assert_eq!(snake("GRÖSSE"), "groesse");
        assert_eq!(snake("größeInCm"), "groesse_in_cm");
        assert_eq!(pascal("Ärger"), "Aerger");
        assert_eq!(pascal("ÄRGER"), "Aerger");
        assert_eq!(pascal("über_uns"), "UeberUns");
        assert_eq!(snake("café"), "cafe");
        assert_eq!(snake("niño"), "nino");
        assert_eq!(snake("ÆRØ"), "aero");
        assert_eq!(snake("straße"), "strasse");
        assert_eq!(snake("łódź"), "lodz");
        assert_eq!(snake("İstanbul"), "istanbul");
        // Decomposed accents (NFD): `e` + U+0301 is `é`, `u` + U+0308 is `ü`.
        assert_eq!(snake("e\u{301}tat"), "etat");
        assert_eq!(snake("gru\u{308}n"), "gruen");
        // Non-ASCII punctuation and spaces separate words.
        assert_eq!(snake("5–10 people"), "n5_10_people");
        assert_eq!(snake("a\u{a0}b"), "a_b");
        for spelled in ["größe", "café", "e\u{301}tat", "5–10", "ÆRØ", "x-y", ""] {
            assert_eq!(unspellable(spelled), None, "{spelled}");
        }
    }

    #[test]
    fn names_without_an_ascii_spelling_are_found() {
        assert_eq!(unspellable("名前"), Some('名'));
        assert_eq!(unspellable("price_€"), Some('€'));
        assert_eq!(unspellable("ok 🙂"), Some('🙂'));
        assert_eq!(unspellable("имя"), Some('и'));
    }
}
