//! Registering: one transaction claims the idempotency key, locks the event, checks the
//! window and the form, and confirms, waitlists or holds the person for approval.

use chrono::Utc;
use entity::{event, idempotency_key, person, registration};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, DatabaseTransaction,
    DbErr, EntityTrait, Iterable, QueryFilter, QuerySelect, SqlErr,
};
use uuid::Uuid;

use super::rules::{Admission, ClosedReason, admit, closed_reason};
use super::store::{
    Registration, answer_columns, count_with_status, form_context, json, next_waitlist_seq,
    person_profile, queue_message, view,
};
use super::{
    NewRegistration, RegistrationError, RegistrationInput, RegistrationStatus, manage_url,
};
use crate::db::{begin_write, json_column, lock_event};
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

/// The table keeps the status of the answer it saved; a saved registration's is 201 Created.
const SAVED_STATUS: i32 = 201;

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
    };
    if !claim.take(&txn).await? {
        txn.rollback().await?;
        return claim.saved(db).await.map(Attempt::Replay);
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
        claim.save(&txn, &registration).await?;
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

/// An idempotency key claimed for one registration request.
struct Claim {
    scope: String,
    key: String,
}

impl Claim {
    /// Claims the key in the transaction; false when an earlier request holds it. Inserted
    /// first: a concurrent retry with this key waits on the unique key until this transaction
    /// ends, then finds the saved registration.
    async fn take(&self, txn: &DatabaseTransaction) -> Result<bool, DbErr> {
        let claimed = idempotency_key::Entity::insert(idempotency_key::ActiveModel {
            scope: Set(self.scope.clone()),
            key: Set(self.key.clone()),
            response_status: Set(None),
            response_body: Set(None),
            created_at: Set(Utc::now()),
        })
        .exec_without_returning(txn)
        .await;
        match claimed {
            Ok(_) => Ok(true),
            Err(error) if matches!(error.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                Ok(false)
            }
            Err(error) => Err(error),
        }
    }

    /// The registration the earlier request saved, or `RequestInProgress` while it runs.
    async fn saved(&self, db: &DatabaseConnection) -> Result<Registration, RegistrationError> {
        let saved = idempotency_key::Entity::find_by_id((self.scope.clone(), self.key.clone()))
            .one(db)
            .await?;
        match saved.and_then(|saved| saved.response_status.and(saved.response_body)) {
            Some(body) => Ok(json_column("idempotency_key.response_body", &body)?),
            None => Err(RegistrationError::RequestInProgress),
        }
    }

    /// Saves the registration for retries with this key (without its manage link).
    async fn save(
        self,
        txn: &DatabaseTransaction,
        registration: &Registration,
    ) -> Result<(), DbErr> {
        idempotency_key::Entity::update(idempotency_key::ActiveModel {
            scope: Set(self.scope),
            key: Set(self.key),
            response_status: Set(Some(SAVED_STATUS)),
            response_body: Set(Some(json(registration))),
            ..Default::default()
        })
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
