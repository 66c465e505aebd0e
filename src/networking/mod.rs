//! Networking sessions: the matcher's rounds of tables for an event's attendees, stored with
//! the encounters they create so that later years seat people with someone new.

pub mod plan;
mod routes;
pub mod tables;

pub use routes::{configure, configure_pages};

use std::collections::HashMap;

use uuid::Uuid;

use crate::matching::{GoalInput, ParticipantInput, Role as MatchRole};
use crate::registration::store::Registration;
use crate::registration::{Goal, Role};

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
