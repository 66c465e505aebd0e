//! The registrations of an event as spreadsheet rows, one column per field and per custom
//! question.

use entity::event;
use sea_orm::{ConnectionTrait, EntityTrait};
use uuid::Uuid;

use super::questions::{Question, event_questions};
use super::store::{self, Registration, RegistrationFilter};
use super::{Answer, Goal, RegistrationError};

/// A column of the export: its heading and how a registration fills it.
type Column = (&'static str, fn(&Registration) -> String);

fn optional(value: &Option<impl ToString>) -> String {
    value.as_ref().map(ToString::to_string).unwrap_or_default()
}

fn goal_word(goal: &Goal) -> String {
    serde_json::to_value(goal)
        .ok()
        .and_then(|word| word.as_str().map(str::to_string))
        .unwrap_or_default()
}

const COLUMNS: [Column; 17] = [
    ("name", |r| r.name.clone()),
    ("email", |r| optional(&r.email)),
    ("status", |r| r.status.as_str().into()),
    ("waitlist_position", |r| optional(&r.waitlist_position)),
    ("role", |r| r.role.as_str().into()),
    ("admission_year", |r| optional(&r.admission_year)),
    ("graduation_year", |r| optional(&r.graduation_year)),
    ("affiliation", |r| optional(&r.affiliation)),
    ("job_title", |r| optional(&r.job_title)),
    ("interests", |r| r.interests.join(", ")),
    ("interests_other", |r| optional(&r.interests_other)),
    ("goals", |r| {
        r.goals.iter().map(goal_word).collect::<Vec<_>>().join(", ")
    }),
    ("consent_share", |r| r.consent_share.to_string()),
    ("language", |r| r.language.as_str().into()),
    ("checkin_code", |r| optional(&r.checkin_code)),
    ("checked_in_at", |r| {
        r.checked_in_at
            .map(|at| at.to_rfc3339())
            .unwrap_or_default()
    }),
    ("registered_at", |r| r.created_at.to_rfc3339()),
];

/// The heading row, then a row per registration.
pub fn records(registrations: &[Registration], questions: &[Question]) -> Vec<Vec<String>> {
    let heading = COLUMNS
        .iter()
        .map(|(heading, _)| heading.to_string())
        .chain(questions.iter().map(|question| question.label.clone()))
        .collect();
    let rows =
        registrations.iter().map(|registration| {
            COLUMNS
                .iter()
                .map(|(_, value)| value(registration))
                .chain(questions.iter().map(
                    |question| match registration.answers.get(&question.id) {
                        Some(Answer::Text(text)) => text.clone(),
                        Some(Answer::Choices(choices)) => choices.join(", "),
                        None => String::new(),
                    },
                ))
                .collect()
        });
    std::iter::once(heading).chain(rows).collect()
}

/// An event's export as the API and the console download it: the file name and its records.
pub async fn event_export(
    db: &impl ConnectionTrait,
    event_id: Uuid,
) -> Result<(String, Vec<Vec<String>>), RegistrationError> {
    let event = event::Entity::find_by_id(event_id)
        .one(db)
        .await?
        .ok_or(RegistrationError::EventNotFound)?;
    let questions = event_questions(db, event.id).await?;
    let rows = store::list(db, event.id, &RegistrationFilter::default(), None, None).await?;
    Ok((
        format!("{}-registrations.csv", event.slug),
        records(&rows, &questions),
    ))
}
