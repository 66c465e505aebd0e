//! CSRF protection without a session store: a signed double-submit token.
//!
//! A token is a random nonce and its HMAC-SHA256 under a key made at start-up. It goes into a
//! hidden form field and into a `SameSite=Strict`, `HttpOnly` cookie; a POST is accepted only
//! when both carry the same token and its signature holds. Another site can neither read the
//! cookie nor make the browser send it, and a cookie planted by a sibling domain fails the
//! signature. A token from another key (a restart without a shared key) invalidates open
//! forms: the registration form then comes back as typed with a fresh token
//! (`post::Refillable`), the other forms answer a page asking to reload them.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

pub const COOKIE: &str = "hc_csrf";
pub const FIELD: &str = "csrf";

pub struct CsrfKey {
    key: [u8; 32],
    secure_cookie: bool,
}

impl CsrfKey {
    /// A fresh random key. `secure_cookie` marks the cookie `Secure` (for https sites).
    /// A key every instance shares (see `secrets::shared_secret`), so a form served by one
    /// instance can be posted to another behind the same load balancer.
    pub fn from_key(key: [u8; 32], secure_cookie: bool) -> Self {
        Self { key, secure_cookie }
    }

    pub fn generate(secure_cookie: bool) -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self { key, secure_cookie }
    }

    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key length")
    }

    /// A new token: `nonce.signature`, both URL-safe base64.
    pub fn issue(&self) -> String {
        let mut nonce = [0u8; 16];
        rand::rng().fill_bytes(&mut nonce);
        let mut mac = self.mac();
        mac.update(&nonce);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(nonce),
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    /// Whether this key signed the token.
    pub fn is_valid(&self, token: &str) -> bool {
        let Some((nonce, signature)) = token.split_once('.') else {
            return false;
        };
        let (Ok(nonce), Ok(signature)) = (
            URL_SAFE_NO_PAD.decode(nonce),
            URL_SAFE_NO_PAD.decode(signature),
        ) else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(&nonce);
        mac.verify_slice(&signature).is_ok()
    }

    /// A token bound to `binding` (a console session's id): the console's forms carry it, and
    /// it holds only for that session, so no cookie of its own is needed.
    pub fn bound(&self, binding: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(b"bound:");
        mac.update(binding);
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }

    /// Whether `token` is the one bound to `binding` (checked in constant time).
    pub fn verify_bound(&self, binding: &[u8], token: &str) -> bool {
        let Ok(signature) = URL_SAFE_NO_PAD.decode(token) else {
            return false;
        };
        let mut mac = self.mac();
        mac.update(b"bound:");
        mac.update(binding);
        mac.verify_slice(&signature).is_ok()
    }

    /// The token to put in a form: the one the browser already holds when it is valid (so
    /// several open tabs keep working), else a new one with the cookie to set.
    pub fn for_form(&self, req: &HttpRequest) -> (String, Option<Cookie<'static>>) {
        if let Some(cookie) = req.cookie(COOKIE)
            && self.is_valid(cookie.value())
        {
            return (cookie.value().to_string(), None);
        }
        let token = self.issue();
        let cookie = Cookie::build(COOKIE, token.clone())
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure_cookie)
            .finish();
        (token, Some(cookie))
    }

    /// Whether a POST carries the same valid token in its cookie and in its form.
    pub fn verify(&self, req: &HttpRequest, submitted: Option<&str>) -> bool {
        let Some(cookie) = req.cookie(COOKIE) else {
            return false;
        };
        submitted.is_some_and(|token| token == cookie.value()) && self.is_valid(cookie.value())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_under_their_key() {
        let key = CsrfKey::generate(false);
        let token = key.issue();
        assert!(key.is_valid(&token));
        assert_ne!(token, key.issue(), "every token has its own nonce");
        assert!(!CsrfKey::generate(false).is_valid(&token));
        let (nonce, _) = token.split_once('.').unwrap();
        assert!(!key.is_valid(&format!("{nonce}.AAAA")));
        assert!(!key.is_valid("garbage"));
        assert!(!key.is_valid(""));
    }

    #[test]
    fn bound_tokens_hold_only_for_their_binding() {
        let key = CsrfKey::generate(false);
        let token = key.bound(b"session-1");
        assert!(key.verify_bound(b"session-1", &token));
        assert!(!key.verify_bound(b"session-2", &token));
        assert!(!CsrfKey::generate(false).verify_bound(b"session-1", &token));
        assert!(!key.verify_bound(b"session-1", "not base64!"));
    }
}
