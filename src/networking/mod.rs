//! Networking sessions: the matcher's rounds of tables for an event's attendees, stored with
//! the encounters they create so that later years seat people with someone new.
//!
//! Here are the types and the pure steps (who is seated, what the matcher is asked); `plan`
//! changes a schedule, `store` reads and writes sessions, `tables` is each attendee's view and
//! mail of their tables, `routes` is the organizer API and `web::plan` the room's plan page.

pub mod plan;
mod routes;
pub mod store;
pub mod tables;

pub use routes::configure;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::matching::{
    EncounterInput, GoalInput, ParticipantInput, ProblemInput, Role as MatchRole,
};
use crate::registration::store::Registration;
use crate::registration::{Goal, RegistrationStatus, Role};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionInput {
    #[serde(default)]
    #[schema(example = "네트워킹 1부")]
    pub title: Option<String>,
    #[schema(example = 3)]
    pub rounds: usize,
    /// Largest table (default 6); or give `tables` instead.
    #[serde(default)]
    #[schema(example = 6)]
    pub table_size: Option<usize>,
    #[serde(default)]
    pub tables: Option<usize>,
    /// Same seed, same attendees: same schedule.
    #[serde(default)]
    pub seed: u64,
    /// Search budget (default 2000 ms; at most the service's `matching.max_time_limit_ms`,
    /// 10,000 unless configured otherwise).
    #[serde(default)]
    pub time_limit_ms: Option<u64>,
    /// Never seat two people of the same affiliation together.
    #[serde(default)]
    pub separate_affiliations: bool,
    /// When the session starts: within the event. Shown in the tables mail.
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
    /// Where it happens: a room of the event's venue. Shown in the tables mail.
    #[serde(default)]
    pub room_id: Option<Uuid>,
    /// Registrations that host a table (a speaker people come to): each keeps one table for
    /// every round, and no two hosts share one. Attendees of the session only.
    #[serde(default)]
    pub hosts: Vec<Uuid>,
    /// Pairs of registrations never seated at one table. Attendees of the session only.
    #[serde(default)]
    pub kept_apart: Vec<[Uuid; 2]>,
}

/// When and where a session happens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionPlace {
    pub starts_at: Option<DateTime<Utc>>,
    pub room_id: Option<Uuid>,
}

/// Why a session's time or room is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlaceError {
    #[error("must lie within the event's start and end")]
    StartsOutsideEvent,
    #[error("must be a room of the event's venue")]
    RoomNotInVenue,
}

/// A session starts while its event runs (from its start, before its end) and happens in a
/// room of the event's venue (`venue_rooms`).
pub fn check_place(
    place: SessionPlace,
    event: (DateTime<Utc>, DateTime<Utc>),
    venue_rooms: &[Uuid],
) -> Result<SessionPlace, PlaceError> {
    if place
        .starts_at
        .is_some_and(|at| at < event.0 || at >= event.1)
    {
        return Err(PlaceError::StartsOutsideEvent);
    }
    if place
        .room_id
        .is_some_and(|room| !venue_rooms.contains(&room))
    {
        return Err(PlaceError::RoomNotInVenue);
    }
    Ok(place)
}

/// The most search time one request may ask for (`matching.max_time_limit_ms`), registered
/// as app data by the server.
#[derive(Debug, Clone, Copy)]
pub struct SolverLimits {
    pub max_time_limit: std::time::Duration,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    /// 1-based.
    pub number: usize,
    pub tables: Vec<Table>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Table {
    /// 1-based.
    pub number: usize,
    pub seats: Vec<Seat>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Seat {
    pub registration_id: Uuid,
    pub name: String,
    pub affiliation: Option<String>,
}

/// The address of a session's printable table plan, whose key is shown once.
pub fn plan_url(public_base_url: &str, plan_key: &str) -> String {
    format!("{}/plans/{plan_key}", public_base_url.trim_end_matches('/'))
}

/// Who may be seated at all: a confirmed registration that consented to share its name and
/// affiliation.
pub fn seatable(status: RegistrationStatus, consent_share: bool) -> bool {
    status == RegistrationStatus::Confirmed && consent_share
}

/// The people to seat, from the event's registrations: the [`seatable`] ones; once anyone
/// has checked in, only those who did.
pub fn attendees(registrations: Vec<Registration>) -> Vec<Registration> {
    let confirmed: Vec<Registration> = registrations
        .into_iter()
        .filter(|registration| seatable(registration.status, registration.consent_share))
        .collect();
    if confirmed
        .iter()
        .any(|registration| registration.checked_in_at.is_some())
    {
        confirmed
            .into_iter()
            .filter(|registration| registration.checked_in_at.is_some())
            .collect()
    } else {
        confirmed
    }
}

/// The matcher's view of an attendee: only what table quality needs, keyed by registration.
pub fn participant(registration: &Registration) -> ParticipantInput {
    ParticipantInput {
        id: registration.id.to_string(),
        role: Some(match registration.role {
            Role::Student => MatchRole::Student,
            Role::Alumni => MatchRole::Alumni,
            Role::Guest => MatchRole::Guest,
        }),
        admission_year: registration.admission_year,
        affiliation: registration.affiliation.clone(),
        interests: registration.interests.clone(),
        goals: registration
            .goals
            .iter()
            .filter_map(|goal| match goal {
                Goal::FindMentor => Some(GoalInput::FindMentor),
                Goal::Mentor => Some(GoalInput::Mentor),
                Goal::Hiring => Some(GoalInput::Hiring),
                Goal::JobSeeking => Some(GoalInput::JobSeeking),
                Goal::MeetPeople => None,
            })
            .collect(),
        ..Default::default()
    }
}

/// Earlier encounters between attendees, as the matcher's history keyed by registration id:
/// `encounters` are `(person_a, person_b, year)`.
pub fn history_of(
    registrations: &[Registration],
    encounters: &[(Uuid, Uuid, i32)],
) -> plan::History {
    let registration_of: HashMap<Uuid, String> = registrations
        .iter()
        .map(|registration| (registration.person_id, registration.id.to_string()))
        .collect();
    let mut history = plan::History::new();
    for (a, b, year) in encounters {
        if let (Some(a), Some(b)) = (registration_of.get(a), registration_of.get(b)) {
            let latest = history.entry(plan::pair(a, b)).or_insert(*year);
            *latest = (*latest).max(*year);
        }
    }
    history
}

/// What the matcher is asked: the session's input, the attendees and who met whom before.
/// Tables of six unless the organizer gave a size or a number of tables.
pub fn problem_input(
    input: &SessionInput,
    people: &[Registration],
    history: &plan::History,
    current_year: i32,
) -> ProblemInput {
    let table_size = input.table_size.or(if input.tables.is_none() {
        Some(6)
    } else {
        None
    });
    ProblemInput {
        participants: people
            .iter()
            .map(|registration| ParticipantInput {
                host: input.hosts.contains(&registration.id),
                ..participant(registration)
            })
            .collect(),
        must_not_share: input
            .kept_apart
            .iter()
            .map(|pair| pair.map(|id| id.to_string()))
            .collect(),
        rounds: input.rounds,
        table_size,
        tables: input.tables,
        history: history
            .iter()
            .map(|((a, b), year)| EncounterInput {
                a: a.clone(),
                b: b.clone(),
                year: *year,
            })
            .collect(),
        current_year: Some(current_year),
        separate_affiliations: input.separate_affiliations,
        seed: input.seed,
        time_limit_ms: input.time_limit_ms,
        ..Default::default()
    }
}

#[cfg(test)]
mod place_tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    #[test]
    fn a_session_starts_within_its_event_in_a_room_of_its_venue() {
        let event = (at("2027-05-15T04:00:00Z"), at("2027-05-15T10:00:00Z"));
        let room = Uuid::now_v7();
        let place = |starts_at: &str, room_id| SessionPlace {
            starts_at: Some(at(starts_at)),
            room_id,
        };
        assert!(check_place(place("2027-05-15T04:00:00Z", Some(room)), event, &[room]).is_ok());
        assert!(check_place(SessionPlace::default(), event, &[]).is_ok());
        assert_eq!(
            check_place(place("2027-05-15T10:00:00Z", None), event, &[room]),
            Err(PlaceError::StartsOutsideEvent)
        );
        assert_eq!(
            check_place(place("2027-05-15T03:59:00Z", None), event, &[room]),
            Err(PlaceError::StartsOutsideEvent)
        );
        assert_eq!(
            check_place(
                place("2027-05-15T05:00:00Z", Some(Uuid::now_v7())),
                event,
                &[room]
            ),
            Err(PlaceError::RoomNotInVenue)
        );
    }
}
