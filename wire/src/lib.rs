//! The Pathbound wire format, in one place.
//!
//! Everything about how the API frames its JSON that is not particular to one
//! endpoint lives here, as data: the HTTP methods, the success envelope
//! (`{"status": "success", <key>: …}`), the error envelope and the three
//! pagination envelopes. The spec names an endpoint's envelope key and
//! pagination style; this crate says what those mean on the wire.
//!
//! Every consumer derives from these tables, so none of them spells a key:
//!
//! | consumer | reads |
//! |---|---|
//! | `pathbound-runtime` | decodes pages and error bodies with [`PaginationEnvelope::fields`] and [`ERROR_ENVELOPE`] |
//! | `pathbound-model` | the spec's `method:` and `pagination.style:` values ([`Method::parse`], [`PaginationStyle::parse`]) |
//! | `pathbound-codegen` | the OpenAPI and Markdown backends describe the envelopes from these tables |
//! | `pathbound-mock` | builds its pages and error bodies from the same tables |
//!
//! The crate has no dependencies and no `unsafe`.
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

use core::fmt;

/// The HTTP methods the API uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `GET`: read.
    Get,
    /// `POST`: create or trigger.
    Post,
    /// `PUT`: replace.
    Put,
    /// `PATCH`: partial update.
    Patch,
    /// `DELETE`: remove.
    Delete,
}

impl Method {
    /// Every method, in the order above.
    pub const ALL: [Method; 5] = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    /// The method as sent, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method named `text` (exactly as sent, upper case), if the API uses it.
    pub fn parse(text: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Whether a request with this method may be repeated without changing the
    /// outcome (RFC 9110 §9.2.2): the default retry policy of an endpoint.
    pub const fn is_idempotent(self) -> bool {
        matches!(self, Method::Get | Method::Put | Method::Delete)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The success envelope: `{"status": "success", <key>: <value>, …}`.
///
/// The spec names `<key>` per endpoint (`response.key`); list endpoints put the
/// items under `pagination.items` beside a [`PaginationEnvelope`].
pub mod success {
    /// The key of the status marker, present on success and error bodies alike.
    pub const STATUS_KEY: &str = "status";
    /// The status marker's value on success.
    pub const STATUS: &str = "success";
}

/// How an endpoint paginates: which query parameter says where a page starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PaginationStyle {
    /// `page` (1-based page number) and `limit`; metadata under `pagination`.
    Page,
    /// `skip` (items to skip) and `limit`; metadata under `pagination`.
    Skip,
    /// `offset` (items to skip) and `limit`; metadata at the top level, the
    /// total under `total`.
    Offset,
}

impl PaginationStyle {
    /// Every style.
    pub const ALL: [PaginationStyle; 3] = [
        PaginationStyle::Page,
        PaginationStyle::Skip,
        PaginationStyle::Offset,
    ];

    /// The style's name in the spec (`pagination.style`): `page`, `skip` or `offset`.
    pub const fn as_str(self) -> &'static str {
        self.envelope().position
    }

    /// The style named `text` in the spec.
    pub fn parse(text: &str) -> Option<PaginationStyle> {
        PaginationStyle::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// The wire shape of a page in this style.
    pub const fn envelope(self) -> &'static PaginationEnvelope {
        match self {
            PaginationStyle::Page => &PAGE,
            PaginationStyle::Skip => &SKIP,
            PaginationStyle::Offset => &OFFSET,
        }
    }
}

impl fmt::Display for PaginationStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a pagination metadata key holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PageField {
    /// Where this page starts: the page number (page style) or the number of
    /// items skipped (skip and offset styles). Echoes the position parameter.
    Position,
    /// The page size the server applied. Echoes the `limit` parameter.
    Limit,
    /// The number of items in the whole list.
    TotalItems,
    /// The number of pages (page style only).
    TotalPages,
}

impl PageField {
    /// What the key holds, for documents that describe the envelope.
    pub const fn description(self) -> &'static str {
        match self {
            PageField::Position => "Where this page starts, as requested.",
            PageField::Limit => "The page size applied.",
            PageField::TotalItems => "The number of items in the whole list.",
            PageField::TotalPages => "The number of pages.",
        }
    }
}

/// The wire shape of one page of a list.
///
/// A page is the success envelope with the items under the endpoint's
/// `pagination.items` key, plus the metadata [`fields`](Self::fields), either
/// inside the object named [`meta`](Self::meta) or at the top level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaginationEnvelope {
    /// The style this envelope belongs to.
    pub style: PaginationStyle,
    /// The query parameter that moves through the list (`page`, `skip` or
    /// `offset`); the metadata echoes it under the same name.
    pub position: &'static str,
    /// The query parameter for the page size.
    pub limit: &'static str,
    /// The value of [`position`](Self::position) for the first page.
    pub first_position: u64,
    /// Whether the position counts pages (`page`) rather than items (`skip`,
    /// `offset`): the next page is `position + 1`, not `position + items`.
    pub counts_pages: bool,
    /// The key of the metadata object, or `None` when the metadata keys sit at
    /// the top level beside the items.
    pub meta: Option<&'static str>,
    /// The metadata keys, in the order the API sends them, with what each holds.
    pub fields: &'static [(&'static str, PageField)],
}

impl PaginationEnvelope {
    /// What the metadata key `key` holds in this envelope, if it is one.
    pub fn field(&self, key: &str) -> Option<PageField> {
        self.fields
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, field)| *field)
    }

    /// The wire name of `field` in this envelope, if it has one.
    pub fn key_of(&self, field: PageField) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|(_, f)| *f == field)
            .map(|(name, _)| *name)
    }
}

/// `{"status":"success","contacts":[…],"pagination":{"page":1,"limit":20,"total_pages":3,"total_items":55}}`
pub const PAGE: PaginationEnvelope = PaginationEnvelope {
    style: PaginationStyle::Page,
    position: "page",
    limit: "limit",
    first_position: 1,
    counts_pages: true,
    meta: Some("pagination"),
    fields: &[
        ("page", PageField::Position),
        ("limit", PageField::Limit),
        ("total_pages", PageField::TotalPages),
        ("total_items", PageField::TotalItems),
    ],
};

/// `{"actions":[…],"pagination":{"total_items":40,"limit":20,"skip":0}}`
pub const SKIP: PaginationEnvelope = PaginationEnvelope {
    style: PaginationStyle::Skip,
    position: "skip",
    limit: "limit",
    first_position: 0,
    counts_pages: false,
    meta: Some("pagination"),
    fields: &[
        ("total_items", PageField::TotalItems),
        ("limit", PageField::Limit),
        ("skip", PageField::Position),
    ],
};

/// `{"agents":[…],"total":40,"limit":20,"offset":0}`
pub const OFFSET: PaginationEnvelope = PaginationEnvelope {
    style: PaginationStyle::Offset,
    position: "offset",
    limit: "limit",
    first_position: 0,
    counts_pages: false,
    meta: None,
    fields: &[
        ("total", PageField::TotalItems),
        ("limit", PageField::Limit),
        ("offset", PageField::Position),
    ],
};

/// The JSON type of an envelope field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    /// A string.
    String,
    /// `true` or `false`.
    Boolean,
    /// An RFC 3339 date-time string.
    DateTime,
    /// An array of any JSON values.
    AnyArray,
}

/// One key of a fixed envelope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnvelopeField {
    /// The key.
    pub name: &'static str,
    /// Its JSON type.
    pub ty: FieldType,
    /// Present in every such body.
    pub required: bool,
    /// What it means.
    pub description: &'static str,
}

/// The error envelope: `{"status":"error","error":"…","details":[…]}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorEnvelope {
    /// The value of [`success::STATUS_KEY`] on errors.
    pub status: &'static str,
    /// The key of the human-readable message.
    pub message: &'static str,
    /// The key of the list of details (field problems, allowed values).
    pub details: &'static str,
    /// The key of the flag a 403 sets when the account must verify its email.
    pub requires_email_verification: &'static str,
    /// The key of the time the error happened.
    pub timestamp: &'static str,
    /// Every key, for documents that describe the envelope.
    pub fields: &'static [EnvelopeField],
}

/// The error envelope, as every non-2xx JSON answer carries it.
pub const ERROR_ENVELOPE: ErrorEnvelope = ErrorEnvelope {
    status: "error",
    message: "error",
    details: "details",
    requires_email_verification: "requires_email_verification",
    timestamp: "timestamp",
    fields: &[
        EnvelopeField {
            name: success::STATUS_KEY,
            ty: FieldType::String,
            required: true,
            description: "Always `error`.",
        },
        EnvelopeField {
            name: "error",
            ty: FieldType::String,
            required: true,
            description: "A human-readable message.",
        },
        EnvelopeField {
            name: "details",
            ty: FieldType::AnyArray,
            required: false,
            description: "Per-field messages for validation errors (400), when present.",
        },
        EnvelopeField {
            name: "requires_email_verification",
            ty: FieldType::Boolean,
            required: false,
            description: "Set on a `403` when the key's issuer has not verified their email; the key is rejected until they do.",
        },
        EnvelopeField {
            name: "timestamp",
            ty: FieldType::DateTime,
            required: false,
            description: "When the error happened.",
        },
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for m in Method::ALL {
            assert_eq!(Method::parse(m.as_str()), Some(m));
        }
        assert_eq!(Method::parse("get"), None);
        for s in PaginationStyle::ALL {
            assert_eq!(PaginationStyle::parse(s.as_str()), Some(s));
            assert_eq!(s.envelope().style, s);
        }
    }

    #[test]
    fn every_envelope_echoes_its_position_and_limit() {
        for s in PaginationStyle::ALL {
            let e = s.envelope();
            assert_eq!(e.field(e.position), Some(PageField::Position));
            assert_eq!(e.field(e.limit), Some(PageField::Limit));
            assert!(e.key_of(PageField::TotalItems).is_some());
        }
        assert_eq!(OFFSET.key_of(PageField::TotalItems), Some("total"));
        assert_eq!(PAGE.key_of(PageField::TotalPages), Some("total_pages"));
        assert_eq!(SKIP.key_of(PageField::TotalPages), None);
    }

    #[test]
    fn the_error_envelope_lists_its_named_keys() {
        let e = ERROR_ENVELOPE;
        for key in [
            e.message,
            e.details,
            e.requires_email_verification,
            e.timestamp,
        ] {
            assert!(e.fields.iter().any(|f| f.name == key), "{key}");
        }
    }
}
