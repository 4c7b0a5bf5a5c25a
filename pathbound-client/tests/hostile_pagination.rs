//! A hostile server behind `.stream()`: page metadata that lies (positions
//! that go backwards or stand still, totals that never end, numbers of the
//! wrong type). Whatever it says, the stream must never ask for the same
//! position twice, so it cannot loop forever on a server that repeats itself;
//! it ends, or yields one error and ends.

mod hostile;

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use pathbound_client::Error;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

use hostile::{Loopback, client, http_response, rt, target};

/// More requests than any case can need when the client never repeats a
/// position (the server's positions stay below 16).
const REQUEST_GUARD: usize = 60;

#[derive(Clone, Copy, Debug)]
enum Style {
    Page,
    Skip,
    Offset,
}

/// One page as the server describes it.
#[derive(Clone, Debug)]
struct PageSpec {
    items: usize,
    /// (key, JSON value) pairs of metadata.
    meta: Vec<(&'static str, String)>,
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (0u64..16).prop_map(|n| n.to_string()),
        1 => Just("null".to_owned()),
        1 => Just("-3".to_owned()),
        1 => Just("\"7\"".to_owned()),
        1 => Just("2.5".to_owned()),
        1 => Just("18446744073709551615".to_owned()),
        1 => Just("1e300".to_owned()),
        1 => Just("\"x\"".to_owned()),
    ]
}

fn page_spec() -> impl Strategy<Value = PageSpec> {
    let keys = select(
        &[
            "page",
            "limit",
            "total_pages",
            "total_items",
            "skip",
            "offset",
            "total",
        ][..],
    );
    (0usize..4, prop::collection::vec((keys, number()), 0..7))
        .prop_map(|(items, meta)| PageSpec { items, meta })
}

impl PageSpec {
    fn body(&self, style: Style, key: &str, serial: usize) -> Vec<u8> {
        let items: Vec<String> = (0..self.items)
            .map(|i| format!(r#"{{"id":"x_{serial}_{i}"}}"#))
            .collect();
        let meta: Vec<String> = self
            .meta
            .iter()
            .map(|(k, v)| format!(r#""{k}":{v}"#))
            .collect();
        let body = match style {
            Style::Offset => format!(r#"{{"{key}":[{}],{}}}"#, items.join(","), meta.join(",")),
            _ => format!(
                r#"{{"status":"success","{key}":[{}],"pagination":{{{}}}}}"#,
                items.join(","),
                meta.join(",")
            ),
        };
        // An empty meta list leaves a trailing comma in the offset form.
        body.replace(",}", "}").into_bytes()
    }
}

async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Drains `stream`, stopping (and reporting a loop) after `REQUEST_GUARD`
/// requests; returns (items, error, requests made).
fn drain<S, T>(
    server: &Loopback,
    mut stream: S,
) -> Result<(usize, Option<Error>, Vec<String>), TestCaseError>
where
    S: Stream<Item = pathbound_client::Result<T>> + Unpin,
{
    let mut items = 0;
    let mut targets = Vec::new();
    let error = rt().block_on(async {
        loop {
            let item = next(&mut stream).await;
            targets.extend(
                server
                    .take_requests()
                    .into_iter()
                    .map(|(head, _)| target(&head).to_owned()),
            );
            if targets.len() > REQUEST_GUARD {
                return Err(TestCaseError::fail(format!(
                    "still fetching after {} requests: {:?}",
                    targets.len(),
                    &targets[..10]
                )));
            }
            match item {
                None => return Ok(None),
                Some(Ok(_)) => items += 1,
                Some(Err(error)) => {
                    // One error, then the end.
                    if next(&mut stream).await.is_some() {
                        return Err(TestCaseError::fail("items after an error"));
                    }
                    return Ok(Some(error));
                }
            }
        }
    })?;
    Ok((items, error, targets))
}

/// The position parameter of a request target (`page`, `skip` or `offset`).
fn position(target: &str, style: Style) -> Option<u64> {
    let name = match style {
        Style::Page => "page",
        Style::Skip => "skip",
        Style::Offset => "offset",
    };
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == name).then(|| v.parse().ok())?
    })
}

#[test]
fn a_lying_server_cannot_make_a_stream_loop() {
    let server = Loopback::start();
    let client = client(&server.base_url);
    let mut runner = TestRunner::new(Config {
        cases: 128,
        failure_persistence: None,
        ..Config::default()
    });
    let style = select(&[Style::Page, Style::Skip, Style::Offset][..]);
    let outcome = runner.run(
        &(style, prop::collection::vec(page_spec(), 1..12)),
        |(style, pages)| {
            let key = match style {
                Style::Page => "contacts",
                Style::Skip => "actions",
                Style::Offset => "agents",
            };
            let replies = pages
                .iter()
                .enumerate()
                .map(|(serial, page)| http_response(200, &page.body(style, key, serial)))
                .collect();
            server.set_replies(replies);
            server.take_requests();
            let (_, error, targets) = match style {
                Style::Page => drain(&server, client.contacts().list().stream())?,
                Style::Skip => drain(&server, client.actions().list().stream())?,
                Style::Offset => drain(&server, client.agents().list().stream())?,
            };
            // Every request after the first names a position, each larger than the
            // last (so no request is ever repeated).
            let positions: Vec<Option<u64>> = targets.iter().map(|t| position(t, style)).collect();
            prop_assert_eq!(positions[0], None, "{:?}", targets);
            let later: Vec<u64> = positions[1..].iter().map(|p| p.unwrap_or(0)).collect();
            prop_assert!(
                later.windows(2).all(|w| w[0] < w[1]),
                "positions requested: {:?}",
                later
            );
            match &error {
                None => {}
                Some(Error::PaginationStalled { position, next }) => {
                    prop_assert_eq!(*position, later.last().copied());
                    let max = pathbound_client::runtime::PageStream::<
                        pathbound_client::contacts::ContactsListRequest,
                    >::MAX_POSITION;
                    prop_assert!(
                        Some(*next) <= *position || *next > max,
                        "{:?} {}",
                        position,
                        next
                    );
                    let shown = error.as_ref().map(ToString::to_string).unwrap_or_default();
                    prop_assert!(shown.contains("did not advance"), "{}", shown);
                }
                // A page whose metadata names another position than the one
                // asked for ends the stream rather than being followed.
                Some(Error::PaginationMismatch { asked, answered }) => {
                    prop_assert_ne!(asked, answered);
                    let first = match style {
                        Style::Page => 1,
                        Style::Skip | Style::Offset => 0,
                    };
                    prop_assert_eq!(*asked, later.last().copied().unwrap_or(first));
                }
                // Metadata that is not a JSON object of the right shape (a key
                // given twice) fails that page's decoding.
                Some(Error::Decode { status: 200, .. }) => {}
                Some(other) => {
                    return Err(TestCaseError::fail(format!("unexpected error {other:?}")));
                }
            }
            Ok(())
        },
    );
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

/// The loop that used to be endless: every page says "page 1 of 5".
#[test]
fn a_server_stuck_on_page_one_ends_the_stream_with_an_error() {
    let server = Loopback::start();
    let client = client(&server.base_url);
    server.set_reply(http_response(
        200,
        br#"{"contacts":[{"id":"a"},{"id":"b"}],"pagination":{"page":1,"limit":2,"total_pages":5}}"#,
    ));
    let (items, error, targets) = drain(&server, client.contacts().list().stream()).expect("ends");
    // Page 1 (the first request), then page 2, which claims to be page 1 again:
    // its items are not yielded, and the stream ends.
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert_eq!(items, 2);
    match error {
        Some(Error::PaginationMismatch { asked, answered }) => {
            assert_eq!((asked, answered), (2, 1))
        }
        other => panic!("{other:?}"),
    }
}

/// Page 1 answered as "page 7 of 9": following the echo would ask for page 8
/// and silently skip pages 2 to 7. The stream asked for page 1, so it reports
/// the mismatch instead, without yielding the items of a page it did not ask for.
#[test]
fn a_page_other_than_the_one_asked_for_is_an_error_not_a_skip() {
    let server = Loopback::start();
    let client = client(&server.base_url);
    server.set_reply(http_response(
        200,
        br#"{"contacts":[{"id":"a"},{"id":"b"}],"pagination":{"page":7,"limit":2,"total_pages":9}}"#,
    ));
    let (items, error, targets) = drain(&server, client.contacts().list().stream()).expect("ends");
    assert_eq!(targets.len(), 1, "{targets:?}");
    assert_eq!(items, 0);
    match &error {
        Some(Error::PaginationMismatch { asked, answered }) => {
            assert_eq!((*asked, *answered), (1, 7))
        }
        other => panic!("{other:?}"),
    }
    let shown = error.map(|e| e.to_string()).unwrap_or_default();
    assert!(
        shown.contains("asked for the page at position 1"),
        "{shown}"
    );

    // The same for skip: asked for 0, told 40.
    server.set_reply(http_response(
        200,
        br#"{"actions":[{"id":"a"}],"pagination":{"skip":40,"limit":1,"total_items":90}}"#,
    ));
    server.take_requests();
    let (items, error, _) = drain(&server, client.actions().list().stream()).expect("ends");
    assert_eq!(items, 0);
    assert!(
        matches!(
            error,
            Some(Error::PaginationMismatch {
                asked: 0,
                answered: 40
            })
        ),
        "{error:?}"
    );
}

/// A server whose totals keep growing (every page "page N of N+1") would keep
/// a stream going forever; the stream stops at its page ceiling with an error.
#[test]
fn ever_growing_totals_stop_at_the_page_ceiling() {
    let server = Loopback::start();
    let client = client(&server.base_url);
    let replies = (1..=8)
        .map(|n| {
            let body = format!(
                r#"{{"contacts":[{{"id":"a{n}"}},{{"id":"b{n}"}}],"pagination":{{"page":{n},"limit":2,"total_pages":{}}}}}"#,
                n + 1
            );
            http_response(200, body.as_bytes())
        })
        .collect();
    server.set_replies(replies);
    let stream = client.contacts().list().stream().max_pages(5);
    let (items, error, targets) = drain(&server, stream).expect("ends");
    assert_eq!(targets.len(), 5, "{targets:?}");
    assert_eq!(items, 10);
    assert!(
        matches!(error, Some(Error::PaginationLimit { pages: 5 })),
        "{error:?}"
    );
    assert_eq!(
        pathbound_client::runtime::PageStream::<
            pathbound_client::contacts::ContactsListRequest,
        >::DEFAULT_MAX_PAGES,
        10_000
    );
}
