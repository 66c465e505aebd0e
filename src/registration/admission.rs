//! Registering: one transaction claims the idempotency key, locks the event, checks the
//! window and the form, and confirms, waitlists or holds the person for approval.

use chrono::{DateTime, TimeDelta, Utc};
use entity::{event, idempotency_key, person, registration};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, Iterable, QueryFilter, QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::rules::{Admission, ClosedReason, admit, closed_reason};
use super::store::{
    Registration, answer_columns, count_with_status, form_context, next_waitlist_seq,
    person_profile, queue_message, view,
};
use super::{
    NewRegistration, RegistrationError, RegistrationInput, RegistrationStatus, manage_url,
};
use crate::db::{begin_write, lock_event};
use crate::email::{Extras, Kind};
use crate::secrets::{hash, human_code, random_token};

/// A new registration and its manage token: shown once, kept only as a hash.
#[derive(Debug)]
pub struct Registered {
    pub registration: Registration,
    pub manage_token: String,
}

/// What a request with an idempotency key produced.
#[derive(Debug)]
pub enum Attempt {
    /// The first request with the key: a new registration.
    Registered(Registered),
    /// A retry: the registration the first request made.
    Replay(Registration),
}

/// How long a key is kept: a retry later than this is a new request (as in Stripe's API).
pub const IDEMPOTENCY_KEY_LIFETIME: TimeDelta = TimeDelta::hours(24);

/// Registers someone for an event: validates against the event's form, refuses a second
/// active registration of the email, and confirms, waitlists or holds for approval.
/// `base_url` is where the manage link in the confirmation leads.
pub async fn register(
    db: &DatabaseConnection,
    event_id: Uuid,
    input: &RegistrationInput,
    base_url: &str,
) -> Result<Registered, RegistrationError> {
    let txn = begin_write(db).await?;
    admit_in(txn, event_id, input, base_url, None).await
}

/// Registers like `register`, once per idempotency key: a retry with the key gets the
/// registration the first request made, and creates nothing.
/// The key is bound to the request: the same key with a different body is refused with
/// `IdempotencyKeyReused`, revealing nothing about the first request.
pub async fn register_once(
    db: &DatabaseConnection,
    event_id: Uuid,
    input: &RegistrationInput,
    key: &str,
    base_url: &str,
) -> Result<Attempt, RegistrationError> {
    let txn = begin_write(db).await?;
    let claim = Claim {
        scope: format!("registration:{event_id}"),
        key: key.to_string(),
        fingerprint: fingerprint(event_id, input),
    };
    if let Some(earlier) = claim.take(&txn).await? {
        txn.rollback().await?;
        return claim.replay(db, earlier).await.map(Attempt::Replay);
    }
    admit_in(txn, event_id, input, base_url, Some(claim))
        .await
        .map(Attempt::Registered)
}

/// The registration itself, in `txn` (committed here); `claim` is the request's claimed
/// idempotency key, if it has one.
async fn admit_in(
    txn: DatabaseTransaction,
    event_id: Uuid,
    input: &RegistrationInput,
    base_url: &str,
    claim: Option<Claim>,
) -> Result<Registered, RegistrationError> {
    let event = lock_event(&txn, event_id)
        .await?
        .ok_or(RegistrationError::EventNotFound)?;
    match closed_reason(&event, Utc::now()) {
        Some(ClosedReason::NotYetOpen) => {
            return Err(RegistrationError::NotYetOpen(event.registration_opens_at));
        }
        Some(ClosedReason::Closed) => return Err(RegistrationError::Closed),
        None => {}
    }
    let new = input.parse(&form_context(&txn, &event).await?)?;
    if let Some(existing) = registration::Entity::find()
        .filter(registration::Column::EventId.eq(event_id))
        .filter(registration::Column::ActiveEmail.eq(new.email.as_str()))
        .lock_exclusive()
        .one(&txn)
        .await?
    {
        resend_manage_link(txn, existing, &event, base_url, claim.as_ref()).await?;
        return Err(RegistrationError::AlreadyRegistered);
    }
    let (row, manage_token) = insert(&txn, &event, &new).await?;
    let registration = view(&txn, row.clone()).await?;
    let kind = match registration.status {
        RegistrationStatus::Confirmed => Kind::Confirmed,
        RegistrationStatus::Waitlisted => Kind::Waitlisted,
        // A new registration is never rejected or cancelled; pending is what is left.
        RegistrationStatus::Pending
        | RegistrationStatus::Rejected
        | RegistrationStatus::Cancelled => Kind::Pending,
    };
    let extras = Extras {
        manage_url: Some(manage_url(base_url, &manage_token)),
        waitlist_position: registration.waitlist_position,
        ..Extras::default()
    };
    queue_message(&txn, kind, &row, &event, extras).await?;
    if let Some(claim) = claim {
        claim.save(&txn, registration.id).await?;
    }
    txn.commit().await?;
    tracing::info!(
        registration_id = %registration.id,
        status = registration.status.as_str(),
        "registered"
    );
    Ok(Registered {
        registration,
        manage_token,
    })
}

/// Inserts the registration (and refreshes the person's profile) with the seat the rules
/// give it; returns the row and its new manage token.
async fn insert(
    txn: &DatabaseTransaction,
    event: &event::Model,
    new: &NewRegistration,
) -> Result<(registration::Model, String), RegistrationError> {
    let person_id = upsert_person(txn, new).await?;
    let confirmed = count_with_status(txn, event.id, RegistrationStatus::Confirmed).await?;
    let status = match admit(
        event.requires_approval,
        event.capacity.unwrap_or(0),
        confirmed,
    ) {
        Admission::Confirmed => RegistrationStatus::Confirmed,
        Admission::Waitlisted => RegistrationStatus::Waitlisted,
        Admission::Pending => RegistrationStatus::Pending,
    };
    let waitlist_seq = match status {
        RegistrationStatus::Waitlisted => Some(next_waitlist_seq(txn, event.id).await?),
        _ => None,
    };
    let manage_token = random_token("");
    let now = Utc::now();
    let email = new.email.as_str().to_string();
    let mut active = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        event_id: Set(event.id),
        person_id: Set(person_id),
        email: Set(Some(email.clone())),
        active_email: Set(Some(email)),
        status: Set(status),
        waitlist_seq: Set(waitlist_seq),
        manage_token_hash: Set(hash(&manage_token)),
        checkin_code: Set(free_checkin_code(txn, event.id).await?),
        checked_in_at: Set(None),
        confirmed_at: Set((status == RegistrationStatus::Confirmed).then_some(now)),
        cancelled_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    answer_columns(&mut active, new);
    let row = registration::Entity::insert(active)
        .exec_with_returning(txn)
        .await
        .map_err(|error| match error.sql_err() {
            // A concurrent registration of the same email won the race.
            Some(SqlErr::UniqueConstraintViolation(_)) => RegistrationError::AlreadyRegistered,
            _ => error.into(),
        })?;
    Ok((row, manage_token))
}

/// What a request is, for comparing a retry with the first: method, path and body (the
/// decoded body, so spacing and key order do not make a retry a different request).
fn fingerprint(event_id: Uuid, input: &RegistrationInput) -> String {
    // Input types are plain structs with string keys, which always serialize.
    let body = serde_json::to_string(input).expect("an input serializes to JSON");
    hash(&format!(
        "POST /api/v1/events/{event_id}/registrations\n{body}"
    ))
}

/// An idempotency key claimed for one registration request.
struct Claim {
    scope: String,
    key: String,
    fingerprint: String,
}

impl Claim {
    /// Claims the key in the transaction, or returns the claim of the earlier request that
    /// holds it. Inserted first: a concurrent retry with this key waits on the unique key until
    /// this transaction ends, then finds the registration. A claim older than the key's
    /// lifetime (not yet purged) is replaced.
    async fn take(
        &self,
        txn: &DatabaseTransaction,
    ) -> Result<Option<idempotency_key::Model>, DbErr> {
        let now = Utc::now();
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::Scope.eq(self.scope.as_str()))
            .filter(idempotency_key::Column::Key.eq(self.key.as_str()))
            .filter(idempotency_key::Column::CreatedAt.lt(now - IDEMPOTENCY_KEY_LIFETIME))
            .exec(txn)
            .await?;
        // DO NOTHING rather than a failed insert, which would abort a PostgreSQL transaction.
        let inserted = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            scope: Set(self.scope.clone()),
            key: Set(self.key.clone()),
            fingerprint: Set(self.fingerprint.clone()),
            registration_id: Set(None),
            created_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([idempotency_key::Column::Scope, idempotency_key::Column::Key])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(txn)
        .await?;
        if inserted > 0 {
            return Ok(None);
        }
        idempotency_key::Entity::find_by_id((self.scope.clone(), self.key.clone()))
            .one(txn)
            .await
    }

    /// The registration the earlier request made, as it is now; refused when this request is
    /// not the one the key was first sent with, or while the first one runs.
    async fn replay(
        &self,
        db: &DatabaseConnection,
        earlier: idempotency_key::Model,
    ) -> Result<Registration, RegistrationError> {
        if earlier.fingerprint != self.fingerprint {
            return Err(RegistrationError::IdempotencyKeyReused);
        }
        let registration_id = earlier
            .registration_id
            .ok_or(RegistrationError::RequestInProgress)?;
        let row = registration::Entity::find_by_id(registration_id)
            .one(db)
            .await?
            // Erasing a person removes their keys; a key without its registration is gone too.
            .ok_or(RegistrationError::RequestInProgress)?;
        Ok(view(db, row).await?)
    }

    /// Records the registration the request made, for retries with this key.
    async fn save(self, txn: &DatabaseTransaction, registration_id: Uuid) -> Result<(), DbErr> {
        idempotency_key::Entity::update_many()
            .col_expr(
                idempotency_key::Column::RegistrationId,
                sea_orm::sea_query::Expr::value(Some(registration_id)),
            )
            .filter(idempotency_key::Column::Scope.eq(self.scope))
            .filter(idempotency_key::Column::Key.eq(self.key))
            .exec(txn)
            .await?;
        Ok(())
    }

    /// Gives the key back: a retry with it does the same again.
    async fn release(&self, txn: &DatabaseTransaction) -> Result<(), DbErr> {
        idempotency_key::Entity::delete_by_id((self.scope.clone(), self.key.clone()))
            .exec(txn)
            .await?;
        Ok(())
    }
}

/// Forgets the keys whose first request is older than their lifetime (the scheduler's
/// housekeeping). Returns how many were removed.
pub async fn purge_expired_idempotency_keys(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let removed = idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::CreatedAt.lt(now - IDEMPOTENCY_KEY_LIFETIME))
        .exec(db)
        .await?;
    Ok(removed.rows_affected)
}

/// Forgets the keys that led to these registrations (erasing their person).
pub async fn forget_idempotency_keys(
    txn: &DatabaseTransaction,
    registration_ids: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    let ids: Vec<Uuid> = registration_ids.into_iter().collect();
    for chunk in ids.chunks(crate::db::ROWS_PER_STATEMENT) {
        idempotency_key::Entity::delete_many()
            .filter(idempotency_key::Column::RegistrationId.is_in(chunk.iter().copied()))
            .exec(txn)
            .await?;
    }
    Ok(())
}

/// A second registration of an active email: the registration gets a new manage token (the
/// old link stops working) and its owner an email with the new link. Committed here, so the
/// caller can still refuse the request. A claimed idempotency key is released.
async fn resend_manage_link(
    txn: DatabaseTransaction,
    existing: registration::Model,
    event: &event::Model,
    base_url: &str,
    claim: Option<&Claim>,
) -> Result<(), RegistrationError> {
    let token = random_token("");
    let mut active: registration::ActiveModel = existing.into();
    active.manage_token_hash = Set(hash(&token));
    active.updated_at = Set(Utc::now());
    let row = registration::Entity::update(active).exec(&txn).await?;
    let extras = Extras {
        manage_url: Some(manage_url(base_url, &token)),
        ..Extras::default()
    };
    queue_message(&txn, Kind::ManageLink, &row, event, extras).await?;
    if let Some(claim) = claim {
        claim.release(&txn).await?;
    }
    txn.commit().await?;
    tracing::info!(registration_id = %row.id, "registered again: manage link sent again");
    Ok(())
}

async fn free_checkin_code(txn: &DatabaseTransaction, event_id: Uuid) -> Result<String, DbErr> {
    // 31^6 codes: a collision is rare, and checked rather than assumed away.
    loop {
        let code = human_code();
        let taken = registration::Entity::find()
            .filter(registration::Column::EventId.eq(event_id))
            .filter(registration::Column::CheckinCode.eq(code.as_str()))
            .one(txn)
            .await?
            .is_some();
        if !taken {
            return Ok(code);
        }
    }
}

/// Finds or creates the person with this email and refreshes their profile from this
/// (their latest) registration.
async fn upsert_person(txn: &DatabaseTransaction, new: &NewRegistration) -> Result<Uuid, DbErr> {
    let mut person = person_profile(new);
    // What a known person gets: exactly the columns of the profile.
    let refreshed: Vec<person::Column> = person::Column::iter()
        .filter(|column| person.get(*column).is_set())
        .collect();
    person.id = Set(Uuid::now_v7());
    person.email = Set(Some(new.email.as_str().to_string()));
    person.erased_at = Set(None);
    person.email_opt_out_at = Set(None);
    person.created_at = person.updated_at.clone();
    // One statement (registering runs this under the event lock): a new person is inserted
    // with this profile; a known one, possibly inserted a moment ago by a concurrent
    // registration for another event, gets it.
    let row = person::Entity::insert(person)
        .on_conflict(
            OnConflict::column(person::Column::Email)
                .update_columns(refreshed)
                .to_owned(),
        )
        .exec_with_returning(txn)
        .await?;
    Ok(row.id)
}
