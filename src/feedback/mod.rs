//! The feedback survey after an event: the answers as domain types, read from what a person
//! typed, and the organizer's figures over all answers of an event.
//!
//! The scheduler (`email::scheduler`) invites every checked-in attendee with a personal link;
//! `web::feedback` serves the form behind it, `store` reads and writes the `feedback` table and
//! `routes` gives organizers the figures of an event next to earlier years'.
//!
//! Everything here is pure: answers are parsed once into [`Answers`], which can only hold a
//! rating of 1 to 5, one of the three "come again" answers and trimmed comments of at most
//! [`COMMENT_MAX_CHARS`] characters.

pub mod routes;
pub mod store;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Why a survey invitation could not be read or answered.
#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    /// No invitation has the link's token (or its person was erased).
    #[error("feedback invitation not found")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// The longest comment, in characters (not bytes: Korean text counts per syllable).
pub const COMMENT_MAX_CHARS: usize = 2000;

/// The overall rating: 1 (poor) to 5 (excellent), nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rating(u8);

impl Rating {
    pub const ALL: [Rating; 5] = [Rating(1), Rating(2), Rating(3), Rating(4), Rating(5)];

    pub fn new(value: i64) -> Option<Self> {
        u8::try_from(value)
            .ok()
            .filter(|value| (1..=5).contains(value))
            .map(Rating)
    }

    /// A rating from the form's text.
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Missing);
        }
        raw.parse::<i64>()
            .ok()
            .and_then(Rating::new)
            .ok_or(Problem::Invalid)
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

pub use entity::values::ComeAgain;

/// The form's answer to "would you come again?": one of the stored words.
pub fn parse_come_again(raw: &str) -> Result<ComeAgain, Problem> {
    match raw.trim() {
        "" => Err(Problem::Missing),
        word => ComeAgain::parse(word).ok_or(Problem::Invalid),
    }
}

/// A free-text answer: trimmed, not empty, at most [`COMMENT_MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment(String);

impl Comment {
    /// `None` for an empty answer (the comments are optional).
    pub fn parse(raw: &str) -> Result<Option<Self>, Problem> {
        let text = raw.trim();
        if text.is_empty() {
            Ok(None)
        } else if text.chars().count() > COMMENT_MAX_CHARS {
            Err(Problem::TooLong)
        } else {
            Ok(Some(Comment(text.to_string())))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A field of the survey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Rating,
    BestPart,
    ChangeNext,
    ComeAgain,
}

impl Field {
    /// The form field's name.
    pub fn name(self) -> &'static str {
        match self {
            Field::Rating => "rating",
            Field::BestPart => "best_part",
            Field::ChangeNext => "change_next",
            Field::ComeAgain => "come_again",
        }
    }
}

/// What is wrong with one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// A required answer is missing.
    Missing,
    /// Not one of the choices.
    Invalid,
    /// A comment longer than [`COMMENT_MAX_CHARS`].
    TooLong,
}

/// The survey's answers as typed, kept to show the form again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAnswers {
    pub rating: String,
    pub best_part: String,
    pub change_next: String,
    pub come_again: String,
}

/// A complete, valid set of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub rating: Rating,
    pub best_part: Option<Comment>,
    pub change_next: Option<Comment>,
    pub come_again: ComeAgain,
}

impl RawAnswers {
    /// The answers, or every field that is wrong (in the form's order).
    pub fn parse(&self) -> Result<Answers, Vec<(Field, Problem)>> {
        let rating = Rating::parse(&self.rating);
        let best_part = Comment::parse(&self.best_part);
        let change_next = Comment::parse(&self.change_next);
        let come_again = parse_come_again(&self.come_again);
        match (rating, best_part, change_next, come_again) {
            (Ok(rating), Ok(best_part), Ok(change_next), Ok(come_again)) => Ok(Answers {
                rating,
                best_part,
                change_next,
                come_again,
            }),
            (rating, best_part, change_next, come_again) => {
                let mut errors = Vec::new();
                if let Err(problem) = rating {
                    errors.push((Field::Rating, problem));
                }
                if let Err(problem) = best_part {
                    errors.push((Field::BestPart, problem));
                }
                if let Err(problem) = change_next {
                    errors.push((Field::ChangeNext, problem));
                }
                if let Err(problem) = come_again {
                    errors.push((Field::ComeAgain, problem));
                }
                Err(errors)
            }
        }
    }
}

impl From<&Answers> for RawAnswers {
    fn from(answers: &Answers) -> Self {
        let text = |comment: &Option<Comment>| {
            comment
                .as_ref()
                .map(|c| c.as_str().to_string())
                .unwrap_or_default()
        };
        RawAnswers {
            rating: answers.rating.get().to_string(),
            best_part: text(&answers.best_part),
            change_next: text(&answers.change_next),
            come_again: answers.come_again.as_str().into(),
        }
    }
}

/// The event a set of figures is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    pub id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
}

/// How many gave each rating; every rating is present, with 0 when nobody gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct Distribution {
    #[serde(rename = "1")]
    pub one: u64,
    #[serde(rename = "2")]
    pub two: u64,
    #[serde(rename = "3")]
    pub three: u64,
    #[serde(rename = "4")]
    pub four: u64,
    #[serde(rename = "5")]
    pub five: u64,
}

impl Distribution {
    fn add(&mut self, rating: Rating) {
        match rating.get() {
            1 => self.one += 1,
            2 => self.two += 1,
            3 => self.three += 1,
            4 => self.four += 1,
            _ => self.five += 1,
        }
    }
}

/// How many would come again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ComeAgainCounts {
    pub yes: u64,
    pub maybe: u64,
    pub no: u64,
}

/// The survey's figures for one event.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Aggregates {
    pub event_id: Uuid,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// Attendees invited to the survey.
    pub invited: u64,
    /// Invitations answered.
    pub responses: u64,
    /// `responses / invited`, 0 when nobody was invited.
    pub response_rate: f64,
    /// The mean rating to two decimals; null without responses.
    pub average_rating: Option<f64>,
    /// How many gave each rating, keys "1" to "5".
    pub distribution: Distribution,
    pub come_again: ComeAgainCounts,
    /// The non-empty "best part" answers, in the order given.
    pub best_parts: Vec<String>,
    /// The non-empty "what should change" answers, in the order given.
    pub changes: Vec<String>,
}

/// The figures of an event's survey from its invitations: one item per invitation, with
/// the answers when it was answered.
pub fn aggregate<'a>(
    event: &EventRef,
    invitations: impl IntoIterator<Item = Option<&'a Answers>>,
) -> Aggregates {
    let mut invited = 0u64;
    let mut responses = 0u64;
    let mut sum = 0u64;
    let mut distribution = Distribution::default();
    let mut come_again = ComeAgainCounts::default();
    let mut best_parts = Vec::new();
    let mut changes = Vec::new();
    for invitation in invitations {
        invited += 1;
        let Some(answers) = invitation else {
            continue;
        };
        responses += 1;
        sum += u64::from(answers.rating.get());
        distribution.add(answers.rating);
        match answers.come_again {
            ComeAgain::Yes => come_again.yes += 1,
            ComeAgain::Maybe => come_again.maybe += 1,
            ComeAgain::No => come_again.no += 1,
        }
        best_parts.extend(answers.best_part.as_ref().map(|c| c.as_str().to_string()));
        changes.extend(answers.change_next.as_ref().map(|c| c.as_str().to_string()));
    }
    Aggregates {
        event_id: event.id,
        title: event.title.clone(),
        starts_at: event.starts_at,
        invited,
        responses,
        response_rate: if invited == 0 {
            0.0
        } else {
            responses as f64 / invited as f64
        },
        average_rating: (responses > 0)
            .then(|| (sum as f64 / responses as f64 * 100.0).round() / 100.0),
        distribution,
        come_again,
        best_parts,
        changes,
    }
}

/// An event's figures next to those of earlier events, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FeedbackReport {
    pub event: Aggregates,
    /// Every other event that started before this one and invited anyone, newest first.
    pub earlier: Vec<Aggregates>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(rating: &str, best: &str, change: &str, again: &str) -> RawAnswers {
        RawAnswers {
            rating: rating.into(),
            best_part: best.into(),
            change_next: change.into(),
            come_again: again.into(),
        }
    }

    #[test]
    fn ratings_are_one_to_five_only() {
        for value in 1..=5 {
            assert_eq!(
                Rating::parse(&format!(" {value} ")).unwrap().get(),
                value as u8
            );
        }
        assert_eq!(Rating::parse(""), Err(Problem::Missing));
        assert_eq!(Rating::parse("  "), Err(Problem::Missing));
        for bad in ["0", "6", "7", "-1", "4.5", "five", "300"] {
            assert_eq!(Rating::parse(bad), Err(Problem::Invalid), "{bad}");
        }
        assert_eq!(Rating::new(3).map(Rating::get), Some(3));
        assert_eq!(Rating::new(0), None);
        assert_eq!(Rating::new(256 + 3), None, "no wrapping into range");
    }

    #[test]
    fn come_again_is_one_of_three_words() {
        for answer in ComeAgain::ALL {
            assert_eq!(parse_come_again(answer.as_str()), Ok(*answer));
        }
        assert_eq!(parse_come_again(""), Err(Problem::Missing));
        assert_eq!(parse_come_again("YES"), Err(Problem::Invalid));
        assert_eq!(parse_come_again("sometimes"), Err(Problem::Invalid));
    }

    #[test]
    fn comments_are_trimmed_optional_and_limited_in_characters() {
        assert_eq!(Comment::parse("  \n "), Ok(None));
        assert_eq!(
            Comment::parse("  the talks \n").unwrap().unwrap().as_str(),
            "the talks"
        );
        let korean = "가".repeat(COMMENT_MAX_CHARS);
        assert!(
            Comment::parse(&korean).unwrap().is_some(),
            "characters, not bytes"
        );
        assert_eq!(
            Comment::parse(&format!("{korean}가")),
            Err(Problem::TooLong)
        );
        assert!(
            Comment::parse(&format!("  {korean}  ")).unwrap().is_some(),
            "measured after trimming"
        );
    }

    #[test]
    fn answers_parse_whole_or_report_every_wrong_field() {
        let answers = raw("4", " talks ", "", "maybe").parse().unwrap();
        assert_eq!(answers.rating.get(), 4);
        assert_eq!(answers.best_part.as_ref().unwrap().as_str(), "talks");
        assert_eq!(answers.change_next, None);
        assert_eq!(answers.come_again, ComeAgain::Maybe);
        assert_eq!(
            RawAnswers::from(&answers),
            raw("4", "talks", "", "maybe"),
            "shown again as stored"
        );

        let long = "x".repeat(COMMENT_MAX_CHARS + 1);
        assert_eq!(
            raw("7", "", &long, "").parse(),
            Err(vec![
                (Field::Rating, Problem::Invalid),
                (Field::ChangeNext, Problem::TooLong),
                (Field::ComeAgain, Problem::Missing),
            ])
        );
        assert_eq!(
            raw("", &long, "", "no").parse(),
            Err(vec![
                (Field::Rating, Problem::Missing),
                (Field::BestPart, Problem::TooLong),
            ])
        );
    }

    fn answers(rating: i64, best: &str, change: &str, again: ComeAgain) -> Answers {
        Answers {
            rating: Rating::new(rating).unwrap(),
            best_part: Comment::parse(best).unwrap(),
            change_next: Comment::parse(change).unwrap(),
            come_again: again,
        }
    }

    fn event() -> EventRef {
        EventRef {
            id: Uuid::nil(),
            title: "Homecoming 2026".into(),
            starts_at: "2026-05-16T04:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn aggregates_count_invitations_responses_ratings_and_comments() {
        let given = [
            answers(5, "the talks", "", ComeAgain::Yes),
            answers(4, "", "more seats", ComeAgain::Yes),
            answers(4, "people", "longer breaks", ComeAgain::Maybe),
        ];
        let invitations = [
            Some(&given[0]),
            None,
            Some(&given[1]),
            Some(&given[2]),
            None,
        ];
        let figures = aggregate(&event(), invitations);
        assert_eq!(figures.invited, 5);
        assert_eq!(figures.responses, 3);
        assert_eq!(figures.response_rate, 0.6);
        assert_eq!(figures.average_rating, Some(4.33));
        assert_eq!(
            figures.distribution,
            Distribution {
                one: 0,
                two: 0,
                three: 0,
                four: 2,
                five: 1
            }
        );
        assert_eq!(
            figures.come_again,
            ComeAgainCounts {
                yes: 2,
                maybe: 1,
                no: 0
            }
        );
        assert_eq!(figures.best_parts, ["the talks", "people"]);
        assert_eq!(figures.changes, ["more seats", "longer breaks"]);
        assert_eq!(figures.title, "Homecoming 2026");
    }

    #[test]
    fn aggregates_without_invitations_or_answers_are_zero_and_null() {
        let none = aggregate(&event(), []);
        assert_eq!(none.invited, 0);
        assert_eq!(none.response_rate, 0.0);
        assert_eq!(none.average_rating, None);
        let unanswered = aggregate(&event(), [None, None]);
        assert_eq!(unanswered.invited, 2);
        assert_eq!(unanswered.responses, 0);
        assert_eq!(unanswered.response_rate, 0.0);
        assert_eq!(unanswered.average_rating, None);
        let json = serde_json::to_value(&unanswered).unwrap();
        assert_eq!(
            json["distribution"],
            serde_json::json!({"1": 0, "2": 0, "3": 0, "4": 0, "5": 0}),
            "all five keys, always"
        );
        assert_eq!(json["average_rating"], serde_json::Value::Null);
        assert_eq!(
            json["come_again"],
            serde_json::json!({"yes": 0, "maybe": 0, "no": 0})
        );
    }
}
