//! Random secrets and their stored form. A secret with 256 random bits from the OS-seeded
//! CSPRNG cannot be guessed, so a plain SHA-256 hash is enough to store it (no salt or slow
//! hash needed, unlike passwords).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// 256 random bits, URL-safe, after `prefix`.
pub fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Letters and digits that cannot be mistaken for one another when read aloud or typed
/// (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A short code a person can read out at the door, e.g. `K7P-M2X`.
pub fn human_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..6)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..3], &chars[3..])
}

/// Normalizes a typed or scanned code: case, spaces and hyphens do not matter.
pub fn normalize_code(raw: &str) -> String {
    let chars: String = raw
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if chars.len() == 6 {
        format!("{}-{}", &chars[..3], &chars[3..])
    } else {
        chars
    }
}

/// The 32-byte secret called `name`, shared by every instance on this database: the first
/// instance to ask makes it (a concurrent maker loses the insert race and reads the winner's).
/// Once it exists, asking is one read.
pub async fn shared_secret(
    db: &sea_orm::DatabaseConnection,
    name: &str,
) -> Result<[u8; 32], sea_orm::DbErr> {
    use entity::service_secret;
    use sea_orm::sea_query::OnConflict;
    use sea_orm::{ActiveValue::Set, EntityTrait};

    let stored = match service_secret::Entity::find_by_id(name.to_string())
        .one(db)
        .await?
    {
        Some(stored) => stored,
        None => {
            let mut bytes = [0u8; 32];
            rand::rng().fill_bytes(&mut bytes);
            service_secret::Entity::insert(service_secret::ActiveModel {
                name: Set(name.to_string()),
                value: Set(hex::encode(bytes)),
                created_at: Set(chrono::Utc::now()),
            })
            .on_conflict(
                OnConflict::column(service_secret::Column::Name)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
            service_secret::Entity::find_by_id(name.to_string())
                .one(db)
                .await?
                .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("secret {name}")))?
        }
    };
    let decoded =
        hex::decode(&stored.value).map_err(|error| sea_orm::DbErr::Custom(error.to_string()))?;
    decoded
        .try_into()
        .map_err(|_| sea_orm::DbErr::Custom(format!("secret {name} is not 32 bytes")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = random_token("hc_");
        let b = random_token("hc_");
        assert!(a.starts_with("hc_") && a.len() == 3 + 43);
        assert_ne!(a, b);
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn codes_are_short_unambiguous_and_normalized() {
        let code = human_code();
        assert_eq!(code.len(), 7);
        assert!(
            code.chars()
                .filter(|c| *c != '-')
                .all(|c| CODE_ALPHABET.contains(&(c as u8)))
        );
        assert_eq!(normalize_code(" k7p m2x "), "K7P-M2X");
        assert_eq!(normalize_code("k7p-m2x"), "K7P-M2X");
    }
}
