//! Pagination as a lazy [`Stream`] of items, whatever the list's pagination style.
//!
//! Every generated paginated request implements [`PagedRequest`]; its `.stream()`
//! wraps it in a [`PageStream`]. The stream fetches a page only when its buffer of
//! items is empty and it is polled again, so a stream dropped half-way issues no
//! further requests, and `.max_items(n)` stops fetching once `n` items are out.
//! The next page's position (page number, skip or offset) is worked out from the
//! position the stream asked for, never from the one the server echoes
//! ([`Page::next_after`], which also decides when the list has ended). A page
//! whose metadata names another position ends the stream with
//! [`Error::PaginationMismatch`] rather than skip or repeat pages, and a list
//! longer than [`PageStream::max_pages`] pages ends with
//! [`Error::PaginationLimit`], so a server with ever-growing totals cannot keep a
//! stream going forever.
//!
//! The positions asked for must strictly increase and stay at most
//! [`PageStream::MAX_POSITION`]: a server whose metadata points back at (or
//! stays on) a position already asked for, or beyond what a request can
//! carry (so that it would be clamped to the same value again and again),
//! would otherwise be followed forever, so the stream yields
//! [`Error::PaginationStalled`] instead and ends.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;

use super::{Error, Page, Result};

/// A boxed, sendable future of one page.
pub type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Page<T>>> + Send>>;

/// A list request that can be pointed at any page. Generated for every paginated
/// endpoint; you do not implement it yourself.
pub trait PagedRequest: Clone + Send + 'static {
    /// One item of the list.
    type Item: Send + 'static;

    /// Points the request at `position`: the page number, skip or offset,
    /// depending on the endpoint's pagination style.
    fn set_position(&mut self, position: u64);

    /// The position the request points at, `None` when it was not set (the
    /// server's default: the first page).
    fn position(&self) -> Option<u64>;

    /// Fetches the page the request points at.
    fn fetch_page(self) -> PageFuture<Self::Item>;
}

/// The items of every page of a list, fetched lazily. Yields `Err` once and then
/// ends if a page fails, or (after that page's items) if the server's
/// pagination does not advance ([`Error::PaginationStalled`]).
#[must_use = "a stream does nothing unless polled"]
pub struct PageStream<R: PagedRequest> {
    /// The request for the next page to fetch; `None` once the list has ended.
    next: Option<R>,
    /// The page being fetched, with the request that fetches it.
    in_flight: Option<(R, PageFuture<R::Item>)>,
    /// Items of the last page not yet yielded.
    buffer: VecDeque<R::Item>,
    /// Items still allowed out, when capped by [`PageStream::max_items`].
    remaining: Option<usize>,
    /// The last position this stream pointed a request at; the next must be larger.
    position: Option<u64>,
    /// Pages fetched so far.
    pages: usize,
    /// The most pages this stream fetches.
    max_pages: usize,
    /// Yielded once the buffer is empty, when the pagination stalled.
    stalled: Option<Error>,
}

// Nothing in the stream is structurally pinned (the in-flight future is boxed),
// so it can be moved freely whatever `R` is.
impl<R: PagedRequest> Unpin for PageStream<R> {}

impl<R: PagedRequest> PageStream<R> {
    /// The largest position the stream asks for: integer query parameters are
    /// sent as `i64`, so a larger one could not be requested as given.
    pub const MAX_POSITION: u64 = i64::MAX as u64;

    /// The default of [`PageStream::max_pages`]: 10,000 pages (a million items
    /// at 100 a page).
    pub const DEFAULT_MAX_PAGES: usize = 10_000;

    /// A stream starting at the page `request` points at.
    pub fn new(request: R) -> Self {
        PageStream {
            next: Some(request),
            in_flight: None,
            buffer: VecDeque::new(),
            remaining: None,
            position: None,
            pages: 0,
            max_pages: Self::DEFAULT_MAX_PAGES,
            stalled: None,
        }
    }

    /// Stops with [`Error::PaginationLimit`] after `max_pages` pages (default
    /// [`PageStream::DEFAULT_MAX_PAGES`]) instead of fetching more. The first
    /// page is always fetched, so `0` counts as `1`.
    pub fn max_pages(mut self, max_pages: usize) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// Stops after `max_items` items, fetching no page beyond the one that holds the last.
    pub fn max_items(mut self, max_items: usize) -> Self {
        self.remaining = Some(max_items);
        self
    }
}

impl<R: PagedRequest> std::fmt::Debug for PageStream<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream")
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.in_flight.is_some())
            .field(
                "finished",
                &(self.next.is_none() && self.in_flight.is_none() && self.stalled.is_none()),
            )
            .field("remaining", &self.remaining)
            .field("pages", &self.pages)
            .finish()
    }
}

impl<R: PagedRequest> Stream for PageStream<R> {
    type Item = Result<R::Item>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.remaining == Some(0) {
                this.next = None;
                this.in_flight = None;
                return Poll::Ready(None);
            }
            if let Some(item) = this.buffer.pop_front() {
                if let Some(n) = this.remaining.as_mut() {
                    *n -= 1;
                }
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((request, future)) = this.in_flight.as_mut() {
                let page = match future.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(page) => page,
                };
                let mut request = request.clone();
                this.in_flight = None;
                match page {
                    Err(error) => {
                        this.next = None;
                        return Poll::Ready(Some(Err(error)));
                    }
                    Ok(page) => {
                        this.next = None;
                        this.pages = this.pages.saturating_add(1);
                        let first = page.info.style.envelope().first_position;
                        let asked = request.position().unwrap_or(first);
                        // A server that does not say where the page starts gives
                        // no ground to go on: the list ends with this page.
                        let next = match page.echoed_position() {
                            Some(answered) if answered != asked => {
                                return Poll::Ready(Some(Err(Error::PaginationMismatch {
                                    asked,
                                    answered,
                                })));
                            }
                            Some(_) => page.next_after(asked),
                            None => None,
                        };
                        this.buffer.extend(page.into_items());
                        let advances = |next: u64| {
                            next <= Self::MAX_POSITION
                                && this.position.is_none_or(|position| next > position)
                                && next > asked
                        };
                        match next {
                            Some(next) if !advances(next) => {
                                this.stalled = Some(Error::PaginationStalled {
                                    position: this.position,
                                    next,
                                });
                            }
                            Some(_) if this.pages >= this.max_pages => {
                                this.stalled = Some(Error::PaginationLimit { pages: this.pages });
                            }
                            Some(next) => {
                                request.set_position(next);
                                this.position = Some(next);
                                this.next = Some(request);
                            }
                            None => {}
                        }
                        continue;
                    }
                }
            }
            match this.next.take() {
                Some(request) => {
                    let future = request.clone().fetch_page();
                    this.in_flight = Some((request, future));
                }
                None => return Poll::Ready(this.stalled.take().map(Err)),
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let cap = self.remaining.unwrap_or(usize::MAX);
        let buffered = self.buffer.len().min(cap);
        let finished = self.next.is_none() && self.in_flight.is_none();
        let pending_error = usize::from(self.stalled.is_some());
        let upper = match finished {
            true => Some(buffered.saturating_add(pending_error).min(cap)),
            false => self.remaining,
        };
        (buffered, upper)
    }
}
