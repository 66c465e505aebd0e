//! Unsubscribe links of non-transactional mail: `/unsubscribe/{person id}.{signature}`,
//! signed with a key every instance shares, so no token has to be stored and a link cannot be
//! forged for someone else.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

/// The name of the shared secret that signs unsubscribe links.
pub const KEY_NAME: &str = "unsubscribe_key";

fn mac(key: &[u8; 32], person_id: Uuid) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"unsubscribe:");
    mac.update(person_id.as_bytes());
    mac
}

pub fn token(key: &[u8; 32], person_id: Uuid) -> String {
    let signature = mac(key, person_id).finalize().into_bytes();
    format!("{}.{}", person_id.simple(), hex::encode(&signature[..16]))
}

/// The person a genuine token names.
pub fn verify(key: &[u8; 32], token: &str) -> Option<Uuid> {
    let (id, signature) = token.split_once('.')?;
    let person_id = Uuid::try_parse(id).ok()?;
    let signature = hex::decode(signature).ok()?;
    // Constant-time comparison of the truncated tag.
    mac(key, person_id)
        .verify_truncated_left(&signature)
        .ok()
        .filter(|_| signature.len() == 16)
        .map(|_| person_id)
}

pub fn url(base_url: &str, key: &[u8; 32], person_id: Uuid) -> String {
    format!(
        "{}/unsubscribe/{}",
        base_url.trim_end_matches('/'),
        token(key, person_id)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_genuine_tokens_name_a_person() {
        let key = [7u8; 32];
        let person = Uuid::now_v7();
        let token = token(&key, person);
        assert_eq!(verify(&key, &token), Some(person));
        assert_eq!(verify(&[8u8; 32], &token), None);
        let other = Uuid::now_v7();
        let forged = format!("{}.{}", other.simple(), token.split_once('.').unwrap().1);
        assert_eq!(verify(&key, &forged), None);
        assert_eq!(verify(&key, "nonsense"), None);
        assert_eq!(verify(&key, &format!("{}.ab", person.simple())), None);
    }
}
