//! Public pages from memory: the event page, the registration form and the public event JSON
//! are served from a rendered copy per event, kind and language instead of ~6 queries and a
//! render per request.
//!
//! Freshness, simply: a copy is at most one second old, counted from when its data was read
//! (not from when it was stored), so what another instance changed and the seats-left figure
//! show within a second without any messaging between instances. On the instance that made a
//! change it shows at once: every successful organizer write moves the cache to a new
//! generation (`http::invalidate_after_writes`, wrapped around the organizer scope, so no
//! handler has to remember it). The generation is part of the key rather than a cleared map,
//! so a copy that was being built from data read before the write lands under the old
//! generation, which nobody asks for any more; old copies expire on their own within the
//! second. Registrations do not invalidate: the seats-left figure may lag by up to a second,
//! which keeps the copies warm during a registration rush.
//!
//! [`moka`]'s `try_get_with` builds a missing copy once however many requests ask for it at
//! the same time; failures (unknown events, drafts, database errors) are not stored.
//! The ETag is a hash of the body, so equal content has the same ETag on every instance and
//! across rebuilds.

mod http;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use actix_web::http::header::EntityTag;
use actix_web::web::{Bytes, BytesMut};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::registration::Language;

pub use http::{client_has, invalidate_after_writes, respond};

/// How old the data of a copy may be.
const FRESH: Duration = Duration::from_secs(1);

/// Copies kept at most: five per event (two pages in two languages, the JSON), and old
/// generations until they expire.
const MAX_COPIES: u64 = 2_000;

/// What a rendered page holds where each answer puts its visitor's own CSRF token. NUL never
/// comes from content (the text types and the input guard refuse control characters), so the
/// slot cannot be confused with anything an organizer wrote.
pub const TOKEN_SLOT: &str = "\0csrf-token\0";

/// Which copy of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Variant {
    /// `GET /events/{slug}`.
    Page(Language),
    /// `GET /events/{slug}/register`, with [`TOKEN_SLOT`] for the token.
    Form(Language),
    /// `GET /api/v1/public/events/{slug}`.
    Json,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    generation: u64,
    slug: String,
    variant: Variant,
}

/// A rendered copy.
pub struct Cached {
    /// The body, without the token slot.
    body: Bytes,
    /// Where the slot was, when the body had one.
    token_at: Option<usize>,
    etag: EntityTag,
    /// When its data began to be read: its age counts from here.
    loaded_at: Instant,
}

impl Cached {
    fn new(rendered: Bytes, loaded_at: Instant) -> Self {
        let token_at = find(&rendered, TOKEN_SLOT.as_bytes());
        let body = match token_at {
            Some(at) => {
                let mut body = BytesMut::with_capacity(rendered.len() - TOKEN_SLOT.len());
                body.extend_from_slice(&rendered[..at]);
                body.extend_from_slice(&rendered[at + TOKEN_SLOT.len()..]);
                body.freeze()
            }
            None => rendered,
        };
        let hash = Sha256::digest(&body);
        Self {
            etag: EntityTag::new_strong(URL_SAFE_NO_PAD.encode(&hash[..16])),
            body,
            token_at,
            loaded_at,
        }
    }

    /// The body as every visitor gets it (a page without a token slot).
    pub fn body(&self) -> Bytes {
        self.body.clone()
    }

    /// The body with `token` in the slot (the body as it is when there is no slot).
    pub fn with_token(&self, token: &str) -> Bytes {
        let Some(at) = self.token_at else {
            return self.body();
        };
        let mut body = BytesMut::with_capacity(self.body.len() + token.len());
        body.extend_from_slice(&self.body[..at]);
        body.extend_from_slice(token.as_bytes());
        body.extend_from_slice(&self.body[at..]);
        body.freeze()
    }

    pub fn etag(&self) -> &EntityTag {
        &self.etag
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// The rendered copies of this instance.
pub struct PageCache {
    copies: moka::future::Cache<Key, Arc<Cached>>,
    generation: AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            copies: moka::future::Cache::builder()
                .max_capacity(MAX_COPIES)
                .expire_after(DataAge)
                .build(),
            generation: AtomicU64::new(0),
        }
    }
}

impl PageCache {
    /// The fresh copy of `variant` of the event `slug`, or the one `build` renders now (one
    /// build for all the requests that wait for it). A failed build is not stored.
    pub async fn get_or_build<B>(
        &self,
        slug: &str,
        variant: Variant,
        build: impl Future<Output = Result<B, ApiError>>,
    ) -> Result<Arc<Cached>, ApiError>
    where
        B: Into<Bytes>,
    {
        let key = Key {
            generation: self.generation.load(Ordering::Acquire),
            slug: slug.to_owned(),
            variant,
        };
        self.copies
            .try_get_with(key, async {
                let loaded_at = Instant::now();
                let body = build.await?.into();
                Ok(Arc::new(Cached::new(body, loaded_at)))
            })
            .await
            .map_err(unshare)
    }

    /// Makes every copy stale: the next request of each page renders it anew.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// The error of a build, which every request that waited for it shares: the same error when
/// this was the last holder, else what it means for the answer (not found, or internal).
fn unshare(error: Arc<ApiError>) -> ApiError {
    Arc::try_unwrap(error).unwrap_or_else(|shared| match *shared {
        ApiError::NotFound(what) => ApiError::NotFound(what),
        _ => ApiError::Internal(anyhow::Error::new(shared)),
    })
}

/// A copy expires [`FRESH`] after its data began to be read, however long rendering took.
struct DataAge;

impl moka::Expiry<Key, Arc<Cached>> for DataAge {
    fn expire_after_create(
        &self,
        _key: &Key,
        copy: &Arc<Cached>,
        created_at: Instant,
    ) -> Option<Duration> {
        Some(FRESH.saturating_sub(created_at.saturating_duration_since(copy.loaded_at)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_slot_is_filled_per_answer_and_left_out_of_the_etag() {
        let form = Cached::new(
            Bytes::from(format!("<input value=\"{TOKEN_SLOT}\">")),
            Instant::now(),
        );
        assert_eq!(&form.with_token("abc")[..], b"<input value=\"abc\">");
        assert_eq!(&form.with_token("xyz")[..], b"<input value=\"xyz\">");
        let plain = Cached::new(Bytes::from("<input value=\"\">"), Instant::now());
        assert_eq!(form.etag(), plain.etag(), "the ETag covers the shared part");
        assert_eq!(&plain.with_token("abc")[..], b"<input value=\"\">");
    }

    #[test]
    fn equal_bodies_have_equal_etags_and_different_ones_differ() {
        let a = Cached::new(Bytes::from("title A"), Instant::now());
        let again = Cached::new(Bytes::from("title A"), Instant::now());
        let b = Cached::new(Bytes::from("title B"), Instant::now());
        assert_eq!(a.etag(), again.etag());
        assert_ne!(a.etag(), b.etag());
    }

    #[tokio::test]
    async fn a_copy_is_reused_until_invalidated_and_failures_are_not_kept() {
        let cache = PageCache::default();
        let built = |body: &'static str| async move { Ok::<_, ApiError>(body) };
        let first = cache.get_or_build("e", Variant::Json, built("one")).await;
        assert_eq!(&first.unwrap().body()[..], b"one");
        let cached = cache.get_or_build("e", Variant::Json, built("two")).await;
        assert_eq!(&cached.unwrap().body()[..], b"one", "served from memory");
        cache.invalidate();
        let rebuilt = cache.get_or_build("e", Variant::Json, built("two")).await;
        assert_eq!(&rebuilt.unwrap().body()[..], b"two");

        let missing = cache
            .get_or_build("gone", Variant::Json, async {
                Err::<&str, _>(ApiError::NotFound("event"))
            })
            .await;
        assert!(matches!(missing, Err(ApiError::NotFound("event"))));
        let found = cache
            .get_or_build("gone", Variant::Json, built("now"))
            .await;
        assert_eq!(&found.unwrap().body()[..], b"now", "a failure is not kept");
    }
}
