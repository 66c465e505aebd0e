//! What the console's forms share: reading typed values out of a submitted form (the only
//! checks made here are that a number is a number and a time a time; every rule is the
//! domain's own parse), and showing a domain refusal inline in the API's own words.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use chrono::{DateTime, FixedOffset, NaiveDateTime};
use uuid::Uuid;

use super::program_words::ProgramWords;
use crate::domain::{Fields, Invalid, TimeZone};
use crate::error::{ApiError, FieldError};
use crate::web::form::FormData;

/// Why a console change was refused, as the API would answer it: its status, the invalid
/// fields (shown beside each field), and otherwise its detail (a 409's words), with the
/// record it collides with.
#[derive(Debug, Default)]
pub struct Problems {
    pub status: Option<StatusCode>,
    pub fields: Vec<FieldError>,
    pub detail: Option<String>,
    /// The record a conflict names (the talk a new talk collides with).
    pub with: Option<Uuid>,
}

impl Problems {
    pub fn none() -> Self {
        Self::default()
    }

    /// The refusal of a domain error, through the API's one mapping of errors to answers.
    pub fn of(error: impl Into<ApiError>) -> Self {
        let error = error.into();
        let problem = error.problem();
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if status.is_server_error() {
            tracing::error!(%error, "a console change failed");
        }
        let conflict = problem.conflict;
        Self {
            status: Some(status),
            detail: if problem.errors.is_empty() && !status.is_server_error() {
                problem.detail
            } else {
                None
            },
            fields: problem.errors,
            with: conflict
                .and_then(|conflict| conflict.with)
                .map(|with| with.id),
        }
    }

    /// The answer's status: 200 when nothing was refused.
    pub fn status(&self) -> StatusCode {
        self.status.unwrap_or(StatusCode::OK)
    }

    pub fn any(&self) -> bool {
        self.status.is_some()
    }

    /// Whether the refusal is the server's fault (no detail to show: it is in the log).
    pub fn failed(&self) -> bool {
        self.status().is_server_error()
    }

    /// The first problem of `field` or of a part of it (`rooms` covers `rooms[2].name`).
    pub fn of_field(&self, field: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|error| {
                error.field == field
                    || error
                        .field
                        .strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('[') || rest.starts_with('.'))
            })
            .map(|error| error.message.as_str())
    }

    /// Field problems of fields the form does not show (reported above the form).
    pub fn others(&self, shown: &[&str]) -> Vec<&FieldError> {
        self.fields
            .iter()
            .filter(|error| {
                !shown.iter().any(|field| {
                    error.field == *field
                        || error.field.starts_with(&format!("{field}["))
                        || error.field.starts_with(&format!("{field}."))
                })
            })
            .collect()
    }

    /// Whether the conflict names `id`: its words are shown beside that record.
    pub fn collides_with(&self, id: &Uuid) -> bool {
        self.with.as_ref() == Some(id)
    }
}

/// Reads the typed values of a form, collecting what cannot be read the way the domain's
/// parse collects what breaks a rule.
pub struct Reader<'a> {
    pub data: &'a FormData,
    fields: Fields,
    w: &'static ProgramWords,
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a FormData, w: &'static ProgramWords) -> Self {
        Self {
            data,
            fields: Fields::default(),
            w,
        }
    }

    /// The domain's parse of what was read, with what could not be read: every problem at
    /// once (a field that could not be read is not also blamed for its stand-in value).
    pub fn finish<T>(self, parsed: Result<T, Invalid>) -> Result<T, Invalid> {
        let Err(Invalid(mut errors)) = self.fields.finish() else {
            return parsed;
        };
        if let Err(Invalid(more)) = parsed {
            let unread: Vec<String> = errors.iter().map(|error| error.field.clone()).collect();
            errors.extend(
                more.into_iter()
                    .filter(|error| !unread.contains(&error.field)),
            );
        }
        Err(Invalid(errors))
    }

    pub fn text(&self, field: &str) -> String {
        self.data.text(field).to_string()
    }

    /// Text that is absent when left blank.
    pub fn optional(&self, field: &str) -> Option<String> {
        Some(self.data.text(field).trim())
            .filter(|text| !text.is_empty())
            .map(str::to_string)
    }

    pub fn checked(&self, field: &str) -> bool {
        self.data.first(field).is_some()
    }

    /// A whole number, absent when left blank.
    pub fn number<T: std::str::FromStr>(&mut self, field: &str) -> Option<T> {
        let raw = self.data.text(field).trim();
        if raw.is_empty() {
            return None;
        }
        let number = raw.parse().ok();
        if number.is_none() {
            self.fields.push(field, self.w.not_a_number);
        }
        number
    }

    /// An id chosen in a select, absent when none is chosen.
    pub fn id(&mut self, field: &str) -> Option<Uuid> {
        let raw = self.data.text(field).trim();
        if raw.is_empty() {
            return None;
        }
        let id = raw.parse().ok();
        if id.is_none() {
            self.fields.push(field, self.w.not_a_choice);
        }
        id
    }

    /// One of a closed set (a select), `parse` telling its spelling.
    pub fn choice<T>(&mut self, field: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let choice = parse(self.data.text(field).trim());
        if choice.is_none() {
            self.fields.push(field, self.w.not_a_choice);
        }
        choice
    }

    /// The ids ticked in a group of checkboxes.
    pub fn ids(&mut self, field: &str) -> Vec<Uuid> {
        let mut ids = Vec::new();
        for raw in self.data.all(field) {
            match raw.trim().parse() {
                Ok(id) => ids.push(id),
                Err(_) => self.fields.push(field, self.w.not_a_choice),
            }
        }
        ids
    }

    /// A wall-clock time (`<input type="datetime-local">`) in `zone`, absent when blank.
    pub fn time(&mut self, field: &str, zone: TimeZone) -> Option<DateTime<FixedOffset>> {
        let raw = self.data.text(field).trim();
        if raw.is_empty() {
            return None;
        }
        let at = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(raw, format).ok())
            .and_then(|local| zone.at_local(local));
        if at.is_none() {
            self.fields.push(field, self.w.not_a_time);
        }
        at
    }

    /// A time the form must have; `fallback` stands in for it while the other fields are
    /// read, so that every problem is reported at once.
    pub fn required_time(
        &mut self,
        field: &str,
        zone: TimeZone,
        fallback: DateTime<FixedOffset>,
    ) -> DateTime<FixedOffset> {
        if self.data.text(field).trim().is_empty() {
            self.fields.push(field, self.w.time_required);
        }
        self.time(field, zone).unwrap_or(fallback)
    }

    /// A comma-separated list (tags).
    pub fn list(&self, field: &str) -> Vec<String> {
        self.data
            .text(field)
            .split([',', '\n'])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// One item a line (a question's options).
    pub fn lines(&self, field: &str) -> Vec<String> {
        self.data
            .text(field)
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// English labels, one `value = label` a line.
    pub fn labels(&mut self, field: &str) -> BTreeMap<String, String> {
        let mut labels = BTreeMap::new();
        for line in self.lines(field) {
            match line.split_once('=') {
                Some((value, label)) => {
                    labels.insert(value.trim().to_string(), label.trim().to_string());
                }
                None => self.fields.push(field, self.w.label_line),
            }
        }
        labels
    }
}

/// English labels as the form shows them: `value = label` a line.
pub fn label_lines(labels: &BTreeMap<String, String>) -> String {
    labels
        .iter()
        .map(|(value, label)| format!("{value} = {label}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A time as `<input type="datetime-local">` shows it.
pub fn local_input(at: DateTime<FixedOffset>) -> String {
    at.format("%Y-%m-%dT%H:%M").to_string()
}

/// A form pre-filled with `pairs` (an edit form showing the record as it is).
pub fn filled<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> FormData {
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    FormData::parse(body.as_bytes())
}
