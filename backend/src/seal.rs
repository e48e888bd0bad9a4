//! Sealed values: data the server hands to a browser (in a cookie) and must get back
//! unchanged, such as a rejected form kept across the redirect of a post made without
//! JavaScript. Keeping such data in the browser instead of a session row means an anonymous,
//! refused request creates no state on the server; the seal (HMAC-SHA-256 with a key kept in
//! the database, so every instance shares it) means a value that comes back is one this
//! portal made, for this purpose, and not yet expired.

use crate::store::{Store, StoreResult};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::sync::Arc;

type HmacSha256 = Hmac<Sha256>;

/// The database name of the key.
const KEY_NAME: &str = "cookie_seal_v1";

#[derive(Clone)]
pub struct Sealer {
    key: Arc<Vec<u8>>,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(..)")
    }
}

impl Sealer {
    /// The portal's key, made at random on first use and kept in the database.
    pub async fn load(store: &dyn Store) -> StoreResult<Self> {
        use rand_core::{OsRng, RngCore};
        let mut fresh = [0u8; 32];
        OsRng.fill_bytes(&mut fresh);
        let key = store.secret(KEY_NAME, &fresh).await?;
        Ok(Sealer { key: Arc::new(key) })
    }

    /// A sealer with a given key, for tests.
    pub fn with_key(key: &[u8]) -> Self {
        Sealer {
            key: Arc::new(key.to_vec()),
        }
    }

    fn mac(&self, purpose: &str, expires: i64, payload: &str) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        // the purpose and expiry are signed too: a value sealed for one use opens for no other
        mac.update(purpose.as_bytes());
        mac.update(b"\n");
        mac.update(expires.to_string().as_bytes());
        mac.update(b"\n");
        mac.update(payload.as_bytes());
        mac
    }

    /// A keyed digest of `data` for `purpose` (HMAC-SHA-256): the same bytes for the same
    /// input on every instance, useless to anyone without the key. What the portal keeps of
    /// a one-time code, and how a browser's cookie names a verified phone without holding it.
    pub fn digest(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes any key length");
        mac.update(b"digest\n");
        mac.update(purpose.as_bytes());
        mac.update(b"\n");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// `payload` sealed for `purpose` until `expires`: URL- and cookie-safe text.
    pub fn seal(&self, purpose: &str, payload: &[u8], expires: DateTime<Utc>) -> String {
        let body = B64.encode(payload);
        let exp = expires.timestamp();
        let tag = self.mac(purpose, exp, &body).finalize().into_bytes();
        format!("{body}.{exp}.{}", B64.encode(tag))
    }

    /// The payload of a value sealed by this portal for `purpose`, unless forged, altered,
    /// sealed for another purpose or expired at `now`.
    pub fn open(&self, purpose: &str, sealed: &str, now: DateTime<Utc>) -> Option<Vec<u8>> {
        let mut parts = sealed.trim().splitn(3, '.');
        let (body, exp, tag) = (parts.next()?, parts.next()?, parts.next()?);
        let exp: i64 = exp.parse().ok()?;
        let tag = B64.decode(tag).ok()?;
        // constant-time comparison
        self.mac(purpose, exp, body).verify_slice(&tag).ok()?;
        if now.timestamp() > exp {
            return None;
        }
        B64.decode(body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_sealed_value_opens_only_unaltered_for_its_purpose_and_in_time() {
        let s = Sealer::with_key(b"k1");
        let now = Utc::now();
        let sealed = s.seal(
            "flash",
            "王芳 13800000000".as_bytes(),
            now + Duration::minutes(2),
        );
        assert_eq!(
            s.open("flash", &sealed, now).as_deref(),
            Some("王芳 13800000000".as_bytes())
        );
        assert_eq!(s.open("phone", &sealed, now), None, "another purpose");
        assert_eq!(
            s.open("flash", &sealed, now + Duration::minutes(3)),
            None,
            "expired"
        );
        assert_eq!(
            Sealer::with_key(b"k2").open("flash", &sealed, now),
            None,
            "another key"
        );
        // any change to the body or the expiry breaks the seal
        let mut forged = sealed.clone();
        forged.replace_range(0..1, if sealed.starts_with('A') { "B" } else { "A" });
        assert_eq!(s.open("flash", &forged, now), None);
        let (body, rest) = sealed.split_once('.').unwrap();
        let (_, tag) = rest.split_once('.').unwrap();
        let later = format!("{body}.{}.{tag}", (now + Duration::days(1)).timestamp());
        assert_eq!(s.open("flash", &later, now + Duration::minutes(3)), None);
        assert_eq!(s.open("flash", "", now), None);
        assert_eq!(s.open("flash", "a.b.c", now), None);
    }
}
