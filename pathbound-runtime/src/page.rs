//! Paginated list responses: [`Page`], [`PageInfo`] and [`PaginationStyle`].
//!
//! The API paginates in three ways, whose envelopes the wire format defines
//! (`pathbound_wire::PAGE`, `SKIP` and `OFFSET`: which keys hold the position,
//! the limit and the totals, and whether they sit under `pagination` or at the
//! top level). A page is decoded here in one pass over the body, driven by
//! those tables: items straight into `Vec<T>`, no intermediate
//! `serde_json::Value` except for unknown keys, which are kept in
//! [`Page::extra`].

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::{Map, Value};

/// How an endpoint paginates, as the wire format defines it.
pub use pathbound_wire::PaginationStyle;

use pathbound_wire::{PageField, PaginationEnvelope};

/// Where a page sits in the whole list, as far as the server said.
///
/// Every number is optional because servers omit them; [`Page::next_page_param`]
/// works with whatever is present.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageInfo {
    /// The pagination style of the endpoint.
    pub style: PaginationStyle,
    /// The 1-based page number (page style).
    pub page: Option<u64>,
    /// The page size the server applied.
    pub limit: Option<u64>,
    /// The number of pages (page style).
    pub total_pages: Option<u64>,
    /// The number of items in the whole list.
    pub total_items: Option<u64>,
    /// Items skipped before this page (skip style).
    pub skip: Option<u64>,
    /// Items skipped before this page (offset style).
    pub offset: Option<u64>,
}

impl PageInfo {
    /// Metadata with nothing known yet.
    pub fn new(style: PaginationStyle) -> Self {
        PageInfo {
            style,
            page: None,
            limit: None,
            total_pages: None,
            total_items: None,
            skip: None,
            offset: None,
        }
    }
}

/// One page of a list: the items, where the page sits, and any other
/// top-level keys of the response.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The items on this page, in server order.
    pub items: Vec<T>,
    /// Page number, size and totals.
    pub info: PageInfo,
    /// Top-level keys other than the items, the pagination metadata and
    /// `status` (e.g. `segment_name` on a segment's member list).
    pub extra: Map<String, Value>,
}

impl<T> Page<T> {
    /// The number of items on this page.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether this page has no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Iterates over the items on this page.
    pub fn iter(&self) -> std::slice::Iter<'_, T> {
        self.items.iter()
    }

    /// Whether another page follows; see [`Page::next_page_param`].
    pub fn has_more(&self) -> bool {
        self.next_page_param().is_some()
    }

    /// The value of the style's position parameter (`page`, `skip` or
    /// `offset`) that fetches the next page, or `None` at the end.
    ///
    /// Totals decide when the server sent them. Without totals, an empty page
    /// or one shorter than `limit` is the last. An empty page always ends the
    /// list, so a loop over pages terminates even if totals are wrong. When the
    /// server did not echo the current position (`page`, `skip`, `offset`),
    /// the next one cannot be known and this returns `None`.
    pub fn next_page_param(&self) -> Option<u64> {
        self.next_after(self.echoed_position()?)
    }

    /// The position the server says this page starts at (`page`, `skip` or
    /// `offset`, by style), if it echoed one.
    pub fn echoed_position(&self) -> Option<u64> {
        match self.info.style {
            PaginationStyle::Page => self.info.page,
            PaginationStyle::Skip => self.info.skip,
            PaginationStyle::Offset => self.info.offset,
        }
    }

    /// The position of the page after this one, this one being at `position`,
    /// or `None` at the end (see [`Page::next_page_param`] for how the end is
    /// found). [`PageStream`](super::PageStream) passes the position it asked
    /// for, so a server echoing another position cannot make it skip pages.
    pub fn next_after(&self, position: u64) -> Option<u64> {
        let info = &self.info;
        let count = self.items.len() as u64;
        if count == 0 {
            return None;
        }
        let short_page = info.limit.is_some_and(|limit| count < limit);
        match info.style {
            PaginationStyle::Page => {
                let page = position;
                let more = match (info.total_pages, info.total_items, info.limit) {
                    (Some(total_pages), _, _) => page < total_pages,
                    (None, Some(total), Some(limit)) => page.saturating_mul(limit) < total,
                    _ => !short_page,
                };
                more.then(|| page.saturating_add(1))
            }
            PaginationStyle::Skip | PaginationStyle::Offset => {
                // Advance by what was actually returned, in case the server
                // capped the page below the requested limit.
                let next = position.saturating_add(count);
                let more = match info.total_items {
                    Some(total) => next < total,
                    None => !short_page,
                };
                more.then_some(next)
            }
        }
    }

    /// The items, dropping the metadata.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }
}

impl<T> IntoIterator for Page<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a Page<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

/// A seed decoding a whole list response into a [`Page`].
pub(crate) struct PageSeed<T> {
    items_key: &'static str,
    style: PaginationStyle,
    marker: PhantomData<fn() -> T>,
}

impl<T> PageSeed<T> {
    pub(crate) fn new(items_key: &'static str, style: PaginationStyle) -> Self {
        PageSeed {
            items_key,
            style,
            marker: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Page<T>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for PageSeed<T> {
    type Value = Page<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a JSON object with the list under `{}`", self.items_key)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Page<T>, A::Error> {
        let keys = KeySeed {
            items_key: self.items_key,
            envelope: self.style.envelope(),
        };
        let mut items: Option<Vec<T>> = None;
        let mut info = PageInfo::new(self.style);
        let mut extra = Map::new();
        while let Some(key) = map.next_key_seed(keys)? {
            match key {
                Key::Items => items = Some(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default()),
                other => other_key(&mut map, other, &mut info, &mut extra)?,
            }
        }
        let items = items.ok_or_else(|| super::envelope::missing_key(self.items_key))?;
        Ok(Page { items, info, extra })
    }
}

/// Reads the value of a key other than the items. Not generic over the item
/// type, so it is compiled once per deserializer rather than once per list
/// endpoint (only the items line of [`PageSeed::visit_map`] depends on `T`).
fn other_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    key: Key,
    info: &mut PageInfo,
    extra: &mut Map<String, Value>,
) -> Result<(), A::Error> {
    match key {
        Key::Items | Key::Status => {
            map.next_value::<IgnoredAny>()?;
        }
        Key::Meta => map.next_value_seed(MetaSeed(info))?,
        Key::Field(field) => {
            let style = info.style;
            *info.slot(style, field) = map.next_value::<Number>()?.0;
        }
        Key::Other(name) => {
            extra.insert(name, map.next_value()?);
        }
    }
    Ok(())
}

impl PageInfo {
    /// Where a metadata value of `style`'s envelope goes.
    fn slot(&mut self, style: PaginationStyle, field: PageField) -> &mut Option<u64> {
        match field {
            PageField::Limit => &mut self.limit,
            PageField::TotalItems => &mut self.total_items,
            PageField::TotalPages => &mut self.total_pages,
            PageField::Position => match style {
                PaginationStyle::Page => &mut self.page,
                PaginationStyle::Skip => &mut self.skip,
                PaginationStyle::Offset => &mut self.offset,
            },
        }
    }
}

/// What a top-level key of a list response is.
enum Key {
    Items,
    Status,
    /// The metadata object (`pagination`).
    Meta,
    /// A metadata key at the top level (offset style's `total`, `limit`, `offset`).
    Field(PageField),
    Other(String),
}

/// Classifies top-level keys; allocates only for keys kept in `extra`.
#[derive(Clone, Copy)]
struct KeySeed {
    items_key: &'static str,
    envelope: &'static PaginationEnvelope,
}

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        let top_level_field = match self.envelope.meta {
            None => self.envelope.field(key),
            Some(_) => None,
        };
        Ok(if key == self.items_key {
            Key::Items
        } else if key == pathbound_wire::success::STATUS_KEY {
            Key::Status
        } else if let Some(field) = top_level_field {
            Key::Field(field)
        } else if is_meta_key(key) {
            // Any style's metadata object is read, whatever the endpoint's style.
            Key::Meta
        } else {
            Key::Other(key.to_owned())
        })
    }
}

/// Whether `key` holds a metadata object in any pagination style.
fn is_meta_key(key: &str) -> bool {
    PaginationStyle::ALL
        .iter()
        .any(|style| style.envelope().meta == Some(key))
}

/// Reads a metadata object (`pagination`) straight into the page's
/// [`PageInfo`]: every key any envelope defines is read (a page style's keys
/// first), unknown keys are ignored, `null` is nothing. Keys are classified as
/// they are read, so nothing is allocated.
struct MetaSeed<'a>(&'a mut PageInfo);

impl<'de> DeserializeSeed<'de> for MetaSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for MetaSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a pagination object")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key_seed(MetaKey)? {
            match key {
                Some((style, field)) => {
                    if let Some(value) = map.next_value::<Number>()?.0 {
                        *self.0.slot(style, field) = Some(value);
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Classifies a metadata key by the envelopes that define it, without allocating.
struct MetaKey;

impl<'de> DeserializeSeed<'de> for MetaKey {
    type Value = Option<(PaginationStyle, PageField)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for MetaKey {
    type Value = Option<(PaginationStyle, PageField)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        // Styles that keep their metadata in an object first, then the others.
        Ok(PaginationStyle::ALL
            .iter()
            .filter(|style| style.envelope().meta.is_some())
            .chain(&PaginationStyle::ALL)
            .find_map(|style| Some((*style, style.envelope().field(key)?))))
    }
}

/// A lenient count: accepts a non-negative integer, an integral float, a
/// numeric string or `null`. Metadata that is absent or negative becomes `None`
/// rather than failing the whole page.
#[derive(Default)]
struct Number(Option<u64>);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NumberVisitor)
    }
}

struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a count")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
        Ok(Number(Some(v)))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
        Ok(Number(u64::try_from(v).ok()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
        let integral = v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v < u64::MAX as f64;
        Ok(Number(integral.then_some(v as u64)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
        Ok(Number(v.trim().parse().ok()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Number, E> {
        Ok(Number(None))
    }

    fn visit_none<E: de::Error>(self) -> Result<Number, E> {
        Ok(Number(None))
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::DeserializeSeed;

    use super::{Page, PageInfo, PageSeed, PaginationStyle};

    #[derive(Debug, Deserialize, PartialEq)]
    struct Item {
        id: u32,
    }

    fn decode(json: &str, key: &'static str, style: PaginationStyle) -> Result<Page<Item>, String> {
        let mut de = serde_json::Deserializer::from_str(json);
        let page = PageSeed::new(key, style)
            .deserialize(&mut de)
            .map_err(|e| e.to_string())?;
        de.end().map_err(|e| e.to_string())?;
        Ok(page)
    }

    #[test]
    fn page_style() {
        let json = r#"{"status":"success","contacts":[{"id":1},{"id":2}],
            "pagination":{"page":1,"limit":2,"total_pages":3,"total_items":5},"segment_name":"VIPs"}"#;
        let page = decode(json, "contacts", PaginationStyle::Page).unwrap();
        assert_eq!(page.items, vec![Item { id: 1 }, Item { id: 2 }]);
        assert_eq!(
            page.info,
            PageInfo {
                page: Some(1),
                limit: Some(2),
                total_pages: Some(3),
                total_items: Some(5),
                ..PageInfo::new(PaginationStyle::Page)
            }
        );
        assert_eq!(page.extra.len(), 1);
        assert_eq!(page.extra["segment_name"], "VIPs");
        assert_eq!(page.next_page_param(), Some(2));
        assert!(page.has_more());
    }

    #[test]
    fn skip_style() {
        let json = r#"{"actions":[{"id":1}],"pagination":{"total_items":40,"limit":20,"skip":20}}"#;
        let page = decode(json, "actions", PaginationStyle::Skip).unwrap();
        assert_eq!(
            (page.info.skip, page.info.total_items, page.info.limit),
            (Some(20), Some(40), Some(20))
        );
        assert!(page.extra.is_empty());
        // one item returned at skip 20 of 40: continue at 21
        assert_eq!(page.next_page_param(), Some(21));
    }

    #[test]
    fn offset_style_reads_top_level_metadata() {
        let json =
            r#"{"agents":[{"id":1},{"id":2}],"total":4,"limit":2,"offset":2,"status":"success"}"#;
        let page = decode(json, "agents", PaginationStyle::Offset).unwrap();
        assert_eq!(
            (page.info.offset, page.info.total_items, page.info.limit),
            (Some(2), Some(4), Some(2))
        );
        assert!(page.extra.is_empty(), "{:?}", page.extra);
        assert_eq!(page.next_page_param(), None);
        assert!(!page.has_more());
        // the same keys are ordinary extras for other styles
        let json = r#"{"agents":[],"total":4}"#;
        let page = decode(json, "agents", PaginationStyle::Page).unwrap();
        assert_eq!(page.extra["total"], 4);
        assert_eq!(page.info.total_items, None);
    }

    #[test]
    fn missing_items_non_object_and_bad_items_are_errors() {
        let err = decode(r#"{"pagination":{}}"#, "contacts", PaginationStyle::Page).unwrap_err();
        assert!(err.contains("missing field `contacts`"), "{err}");
        let err = decode("[]", "contacts", PaginationStyle::Page).unwrap_err();
        assert!(err.contains("list under `contacts`"), "{err}");
        let err = decode(
            r#"{"contacts":[{"id":"x"}]}"#,
            "contacts",
            PaginationStyle::Page,
        )
        .unwrap_err();
        assert!(err.contains("invalid type"), "{err}");
    }

    #[test]
    fn lenient_metadata_and_null_items() {
        let json = r#"{"contacts":null,"pagination":{"page":"2","limit":20.0,"total_items":-1,"total_pages":null}}"#;
        let page = decode(json, "contacts", PaginationStyle::Page).unwrap();
        assert!(page.is_empty());
        assert_eq!(
            (
                page.info.page,
                page.info.limit,
                page.info.total_items,
                page.info.total_pages
            ),
            (Some(2), Some(20), None, None)
        );
        let page = decode(
            r#"{"contacts":[],"pagination":null}"#,
            "contacts",
            PaginationStyle::Page,
        )
        .unwrap();
        assert_eq!(page.info, PageInfo::new(PaginationStyle::Page));
    }

    fn page(style: PaginationStyle, items: usize, info: PageInfo) -> Page<u32> {
        Page {
            items: (0..items as u32).collect(),
            info: PageInfo { style, ..info },
            extra: Default::default(),
        }
    }

    #[test]
    fn next_page_logic() {
        use PaginationStyle::*;
        let info = |page, limit, total_pages, total_items| PageInfo {
            page,
            limit,
            total_pages,
            total_items,
            ..PageInfo::new(Page)
        };
        // totals decide
        assert_eq!(
            page(Page, 20, info(Some(3), Some(20), Some(3), None)).next_page_param(),
            None
        );
        assert_eq!(
            page(Page, 20, info(Some(2), Some(20), None, Some(41))).next_page_param(),
            Some(3)
        );
        assert_eq!(
            page(Page, 20, info(Some(2), Some(20), None, Some(40))).next_page_param(),
            None
        );
        // no totals: a short page is the last, a full page may have a successor
        assert_eq!(
            page(Page, 5, info(Some(1), Some(20), None, None)).next_page_param(),
            None
        );
        assert_eq!(
            page(Page, 20, info(Some(1), Some(20), None, None)).next_page_param(),
            Some(2)
        );
        assert_eq!(
            page(Page, 3, info(Some(1), None, None, None)).next_page_param(),
            Some(2)
        );
        // an empty page always ends, even when totals disagree
        assert_eq!(
            page(Page, 0, info(Some(1), Some(20), Some(9), None)).next_page_param(),
            None
        );
        // unknown current position: cannot continue
        assert_eq!(
            page(Page, 20, info(None, Some(20), Some(9), None)).next_page_param(),
            None
        );

        let skip = |skip, limit, total_items| PageInfo {
            skip,
            limit,
            total_items,
            ..PageInfo::new(Skip)
        };
        assert_eq!(
            page(Skip, 20, skip(Some(0), Some(20), Some(40))).next_page_param(),
            Some(20)
        );
        assert_eq!(
            page(Skip, 20, skip(Some(20), Some(20), Some(40))).next_page_param(),
            None
        );
        assert_eq!(
            page(Skip, 20, skip(Some(20), Some(20), None)).next_page_param(),
            Some(40)
        );
        assert_eq!(
            page(Skip, 7, skip(Some(20), Some(20), None)).next_page_param(),
            None
        );

        let offset = |offset, total_items| PageInfo {
            offset,
            limit: Some(10),
            total_items,
            ..PageInfo::new(Offset)
        };
        assert_eq!(
            page(Offset, 10, offset(Some(10), Some(25))).next_page_param(),
            Some(20)
        );
        assert_eq!(
            page(Offset, 5, offset(Some(20), Some(25))).next_page_param(),
            None
        );
        assert_eq!(
            page(Offset, 10, offset(None, Some(25))).next_page_param(),
            None
        );
    }

    #[test]
    fn iteration_helpers() {
        let p = page(
            PaginationStyle::Page,
            3,
            PageInfo::new(PaginationStyle::Page),
        );
        assert_eq!(p.len(), 3);
        assert_eq!(p.iter().sum::<u32>(), 3);
        assert_eq!((&p).into_iter().count(), 3);
        assert_eq!(p.into_iter().collect::<Vec<_>>(), vec![0, 1, 2]);
    }
}
