//! Manage links the service can make again, so every mail about a registration carries a
//! working link and no mail revokes another.
//!
//! A link's token is `<registration id>.<tag>` (both URL-safe base64), the tag being
//! HMAC-SHA256 over the id and the registration's link generation with a key every instance
//! shares through the database. Raising the generation ("sign out other links", erasure)
//! retires every link made before. Tokens from before signed links (random, found by their
//! hash) keep working until then.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::registration;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use crate::secrets::{hash, random_token};

/// The name of the shared secret that signs manage links.
pub const KEY_NAME: &str = "manage-links";

/// Makes and checks manage links: loaded once at startup, shared by every request.
#[derive(Clone)]
pub struct ManageLinks {
    key: [u8; 32],
    base_url: String,
}

/// A manage token as it came in a URL, before the registration it names is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManageToken {
    /// A signed link: the registration it names and the tag to check.
    Signed { id: Uuid, tag: Vec<u8> },
    /// A random token from before signed links: the hash it is stored as.
    Legacy { hash: String },
}

impl ManageToken {
    /// `None` for something no link of ours ever was (it names nothing).
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.split_once('.') {
            Some((id, tag)) => {
                let id = Uuid::from_slice(&URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
                let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
                Some(ManageToken::Signed { id, tag })
            }
            // Legacy tokens are URL-safe base64 of 32 random bytes: never a dot.
            None if !raw.is_empty() => Some(ManageToken::Legacy { hash: hash(raw) }),
            None => None,
        }
    }
}

/// The hash of a random token nobody holds: what `manage_token_hash` (unique, required)
/// keeps for a registration whose links are all signed, or whose old link was retired.
pub fn unheld_token_hash() -> String {
    hash(&random_token("unheld-"))
}

/// Makes every link of the registration `current_generation` belongs to stop working: signed
/// ones by the next generation, an old random one by a hash nobody holds the token of.
pub fn retire_all(active: &mut registration::ActiveModel, current_generation: i32) {
    active.manage_link_generation = sea_orm::ActiveValue::Set(current_generation + 1);
    active.manage_token_hash = sea_orm::ActiveValue::Set(unheld_token_hash());
}

impl ManageLinks {
    pub fn new(key: [u8; 32], base_url: &str) -> Self {
        Self {
            key,
            base_url: base_url.trim_end_matches('/').to_string(),
        }
    }

    /// The links of this database's instances (the key is made by the first to ask).
    pub async fn load(
        db: &sea_orm::DatabaseConnection,
        base_url: &str,
    ) -> Result<Self, sea_orm::DbErr> {
        Ok(Self::new(
            crate::secrets::shared_secret(db, KEY_NAME).await?,
            base_url,
        ))
    }

    fn mac(&self, id: Uuid, generation: i32) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("HMAC takes any key");
        mac.update(b"manage-link");
        mac.update(id.as_bytes());
        mac.update(&generation.to_be_bytes());
        mac
    }

    /// The current token of a registration.
    pub fn token(&self, row: &registration::Model) -> String {
        let tag = self
            .mac(row.id, row.manage_link_generation)
            .finalize()
            .into_bytes();
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(row.id.as_bytes()),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    /// The site's public address, which every link starts with.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The registration's personal link, as mails carry it.
    pub fn url(&self, row: &registration::Model) -> String {
        super::manage_url(&self.base_url, &self.token(row))
    }

    /// Whether `token` opens `row` (the row found by the token's id or hash). The tag is
    /// compared in constant time.
    pub fn admits(&self, token: &ManageToken, row: &registration::Model) -> bool {
        match token {
            ManageToken::Signed { id, tag } => {
                *id == row.id
                    && self
                        .mac(row.id, row.manage_link_generation)
                        .verify_slice(tag)
                        .is_ok()
            }
            ManageToken::Legacy { hash } => *hash == row.manage_token_hash,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;

    fn row() -> registration::Model {
        let now = Utc::now();
        registration::Model {
            id: Uuid::now_v7(),
            event_id: Uuid::now_v7(),
            person_id: Uuid::now_v7(),
            email: Some("a@example.com".into()),
            active_email: Some("a@example.com".into()),
            name: "김서연".into(),
            role: entity::values::Role::Alumni,
            admission_year: None,
            graduation_year: None,
            affiliation: None,
            job_title: None,
            interests: "[]".into(),
            interests_other: None,
            goals: "[]".into(),
            wanted_speaker_ids: "[]".into(),
            consent_share: false,
            language: entity::values::Language::Ko,
            answers: "{}".into(),
            status: entity::values::RegistrationStatus::Confirmed,
            waitlist_seq: None,
            manage_token_hash: hash("legacy"),
            manage_link_generation: 0,
            manage_link_mailed_at: None,
            checkin_code: "K7P-M2X".into(),
            checked_in_at: None,
            confirmed_at: None,
            cancelled_at: None,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn a_link_opens_its_registration_until_the_generation_moves() {
        let links = ManageLinks::new([7; 32], "https://homecoming.example/");
        let mut row = row();
        let token = links.token(&row);
        assert_eq!(links.token(&row), token, "the same link every time");
        assert!(
            links
                .url(&row)
                .starts_with("https://homecoming.example/registrations/")
        );
        let parsed = ManageToken::parse(&token).unwrap();
        assert!(links.admits(&parsed, &row));
        row.manage_link_generation += 1;
        assert!(
            !links.admits(&parsed, &row),
            "an older generation is retired"
        );
        assert!(links.admits(&ManageToken::parse(&links.token(&row)).unwrap(), &row));
    }

    #[test]
    fn forged_and_foreign_tokens_open_nothing() {
        let links = ManageLinks::new([7; 32], "https://homecoming.example");
        let row = row();
        let other = ManageLinks::new([8; 32], "https://homecoming.example");
        let foreign = ManageToken::parse(&other.token(&row)).unwrap();
        assert!(!links.admits(&foreign, &row), "another key");
        let mut someone_else = row.clone();
        someone_else.id = Uuid::now_v7();
        let theirs = ManageToken::parse(&links.token(&row)).unwrap();
        assert!(
            !links.admits(&theirs, &someone_else),
            "another registration"
        );
        assert_eq!(ManageToken::parse("not.base64!"), None);
        assert_eq!(ManageToken::parse(""), None);
        assert!(links.admits(&ManageToken::parse("legacy").unwrap(), &row));
        assert!(!links.admits(&ManageToken::parse("guess").unwrap(), &row));
    }
}
