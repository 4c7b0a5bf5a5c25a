//! What a subscription receives: `event:NAME`, `event:*`, `contact:CHANGE`,
//! `company:CHANGE` (`created`, `updated`, `deleted` or `*`), or `*` for all.

use std::fmt;

/// A change to a contact or a company, as a delivery's `action` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeType {
    /// The record was created.
    Created,
    /// The record was changed.
    Updated,
    /// The record was removed.
    Deleted,
}

impl ChangeType {
    /// The wire value: `created`, `updated` or `deleted`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Created => "created",
            ChangeType::Updated => "updated",
            ChangeType::Deleted => "deleted",
        }
    }
}

/// One kind of delivery a subscription asks for. `None` stands for `*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selector {
    /// Tracked events with this name (`None`: every event).
    Event(Option<String>),
    /// Contact changes of this type (`None`: every change).
    Contact(Option<ChangeType>),
    /// Company changes of this type (`None`: every change).
    Company(Option<ChangeType>),
}

impl Selector {
    /// Everything: every event, contact and company change (`*`).
    pub fn all() -> Vec<Selector> {
        vec![
            Selector::Event(None),
            Selector::Contact(None),
            Selector::Company(None),
        ]
    }

    /// Parses a comma-separated list such as `event:page_view,contact:created`
    /// or `*`. A bare event name (`page_view`) means `event:page_view`.
    pub fn parse_list(text: &str) -> Result<Vec<Selector>, String> {
        let mut out = Vec::new();
        for item in text.split(',').map(str::trim) {
            if item.is_empty() {
                continue;
            }
            if item == "*" {
                out.extend(Selector::all());
                continue;
            }
            out.push(Selector::parse(item)?);
        }
        if out.is_empty() {
            return Err(format!(
                "invalid webhook kinds {text:?}: expected e.g. `*`, `event:page_view`, `event:*`, \
                 `contact:created` or `company:*`"
            ));
        }
        Ok(out)
    }

    /// Parses one selector: `event:NAME`, `event:*`, `contact:CHANGE`,
    /// `company:CHANGE`, or a bare event name.
    pub fn parse(item: &str) -> Result<Selector, String> {
        let change = |value: &str| -> Result<Option<ChangeType>, String> {
            Ok(Some(match value {
                "*" => return Ok(None),
                "created" => ChangeType::Created,
                "updated" => ChangeType::Updated,
                "deleted" => ChangeType::Deleted,
                other => {
                    return Err(format!(
                        "invalid change type {other:?} in {item:?}: expected created, updated, deleted or *"
                    ));
                }
            }))
        };
        match item.split_once(':') {
            Some(("event", "*")) => Ok(Selector::Event(None)),
            Some(("event", name)) if valid_event_name(name) => {
                Ok(Selector::Event(Some(name.to_owned())))
            }
            Some(("contact", value)) => Ok(Selector::Contact(change(value)?)),
            Some(("company", value)) => Ok(Selector::Company(change(value)?)),
            None if valid_event_name(item) => Ok(Selector::Event(Some(item.to_owned()))),
            _ => Err(format!(
                "invalid webhook kind {item:?}: expected `event:NAME`, `event:*`, \
                 `contact:created|updated|deleted|*`, `company:created|updated|deleted|*` or `*`"
            )),
        }
    }

    /// Whether this selector asks for a delivery of `kind`.
    pub(crate) fn matches(&self, kind: &Kind) -> bool {
        match (self, kind) {
            (Selector::Event(want), Kind::Event(name)) => want.as_ref().is_none_or(|w| w == name),
            (Selector::Contact(want), Kind::Contact(change))
            | (Selector::Company(want), Kind::Company(change)) => want.is_none_or(|w| w == *change),
            _ => false,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let change = |c: &Option<ChangeType>| c.map_or("*", ChangeType::as_str);
        match self {
            Selector::Event(name) => write!(f, "event:{}", name.as_deref().unwrap_or("*")),
            Selector::Contact(c) => write!(f, "contact:{}", change(c)),
            Selector::Company(c) => write!(f, "company:{}", change(c)),
        }
    }
}

/// An event name a selector or a trigger accepts: 1 to 100 letters, digits,
/// `_`, `-` or `.`.
pub(crate) fn valid_event_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// The kind of one delivery: what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A tracked event, by name.
    Event(String),
    /// A contact change.
    Contact(ChangeType),
    /// A company change.
    Company(ChangeType),
}

impl Kind {
    /// `page_view`, `contact.created`: the `X-Pathbound-Event` header and the
    /// log's name for it.
    pub(crate) fn name(&self) -> String {
        match self {
            Kind::Event(name) => name.clone(),
            Kind::Contact(c) => format!("contact.{}", c.as_str()),
            Kind::Company(c) => format!("company.{}", c.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ChangeType, Kind, Selector};

    #[test]
    fn selectors_parse_and_match() {
        let list = Selector::parse_list("event:page_view, contact:created,company:*").unwrap();
        let hit = |kind: Kind| list.iter().any(|s| s.matches(&kind));
        assert!(hit(Kind::Event("page_view".into())));
        assert!(!hit(Kind::Event("form_submit".into())));
        assert!(hit(Kind::Contact(ChangeType::Created)));
        assert!(!hit(Kind::Contact(ChangeType::Deleted)));
        assert!(hit(Kind::Company(ChangeType::Deleted)));
        assert_eq!(Selector::parse_list("*").unwrap(), Selector::all());
        assert_eq!(
            Selector::parse("form_submit").unwrap(),
            Selector::Event(Some("form_submit".into()))
        );
        assert_eq!(Selector::parse("event:*").unwrap().to_string(), "event:*");
        for bad in [
            "contact:merged",
            "segment:*",
            "event:",
            "",
            " , ",
            "event:a b",
        ] {
            assert!(Selector::parse_list(bad).is_err(), "{bad:?}");
        }
    }
}
