//! Domain types shared by every capability. Each can only hold a valid value: `parse` is the
//! one way in, and its error message is written for the person who sent the input.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, SubsecRound, Utc};
use entity::values::Language;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::{FieldError, FieldProblem};

/// Input that broke a rule, with one entry per invalid field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {} field(s)", .0.len())]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    /// One invalid field.
    pub fn field(field: impl Into<String>, problem: impl Into<FieldProblem>) -> Self {
        Self(vec![FieldError::new(field, problem)])
    }
}

/// Collects field errors while an input is parsed, so one response lists all of them.
#[derive(Debug, Default)]
pub struct Fields {
    errors: Vec<FieldError>,
}

impl Fields {
    /// Records the error of a failed parse under `field`; returns the value if it parsed.
    pub fn check<T, P: Into<FieldProblem>>(
        &mut self,
        field: impl Into<String>,
        parsed: Result<T, P>,
    ) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(problem) => {
                self.errors.push(FieldError::new(field, problem));
                None
            }
        }
    }

    pub fn push(&mut self, field: impl Into<String>, problem: impl Into<FieldProblem>) {
        self.errors.push(FieldError::new(field, problem));
    }

    pub fn is_ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// Fails with every collected error, or succeeds when there were none.
    pub fn finish(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.errors))
        }
    }
}

/// Unwraps the values of a parse that `Fields::finish` already proved complete.
pub fn parsed<T>(value: Option<T>) -> T {
    value.expect("Fields::finish returned Ok, so every checked value parsed")
}

/// Required single-line text: trimmed, not empty, at most `MAX` characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text<const MAX: usize>(String);

impl<const MAX: usize> Text<MAX> {
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(FieldProblem::Required);
        }
        if trimmed.chars().count() > MAX {
            return Err(FieldProblem::TooLong { max: MAX });
        }
        if trimmed.chars().any(char::is_control) {
            return Err(FieldProblem::SingleLine);
        }
        Ok(Self(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Optional multi-line text: trimmed; empty becomes absent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LongText<const MAX: usize>(Option<String>);

impl<const MAX: usize> LongText<MAX> {
    pub fn parse(raw: Option<&str>) -> Result<Self, FieldProblem> {
        let Some(trimmed) = raw.map(str::trim).filter(|text| !text.is_empty()) else {
            return Ok(Self(None));
        };
        if trimmed.chars().count() > MAX {
            return Err(FieldProblem::TooLong { max: MAX });
        }
        if trimmed
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
        {
            return Err(FieldProblem::ControlCharacters);
        }
        Ok(Self(Some(trimmed.to_string())))
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }

    pub fn into_inner(self) -> Option<String> {
        self.0
    }
}

/// Optional single-line text (`None` when absent or blank).
pub fn optional_text<const MAX: usize>(raw: Option<&str>) -> Result<Option<String>, FieldProblem> {
    match raw.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => Text::<MAX>::parse(text).map(|text| Some(text.into_inner())),
    }
}

/// A URL-safe identifier: lowercase ASCII letters and digits in groups joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub const MAX: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let valid = !raw.is_empty()
            && raw.len() <= Self::MAX
            && raw.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if valid {
            Ok(Self(raw.to_string()))
        } else {
            Err(format!(
                "must be 1 to {} lowercase letters, digits and single hyphens, e.g. 1n-homecoming-2026",
                Self::MAX
            ))
        }
    }

    /// Derives a slug from a title: Hangul and other scripts are transliterated to ASCII.
    pub fn from_title(title: &str) -> Self {
        let mut slug = slug::slugify(title);
        if slug.len() > Self::MAX {
            slug.truncate(Self::MAX);
            slug = slug.trim_end_matches('-').to_string();
        }
        if slug.is_empty() {
            slug = "event".into();
        }
        Self(slug)
    }

    /// The `n`th alternative, for when the derived slug is taken: `title-2`, `title-3`, ...
    pub fn with_suffix(&self, n: u32) -> Self {
        let suffix = format!("-{n}");
        let mut base = self.0.clone();
        base.truncate(Self::MAX - suffix.len());
        Self(format!("{}{suffix}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed, with its domain lowercased. Deliberately permissive about the
/// local part (RFC 5321 allows much), strict about what breaks delivery or headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    /// RFC 5321's limits: 254 octets in all, 64 before the `@`.
    const MAX_LEN: usize = 254;
    const MAX_LOCAL_LEN: usize = 64;

    /// An address the mailer can send to: lettre's own rules for the part before and after
    /// the `@` (the same parse the outbox applies when it builds the message), RFC 5321's
    /// lengths, and a host name with a dot (a bare host or an IP literal reaches nobody).
    pub fn parse(raw: &str) -> Result<Self, FieldProblem> {
        let trimmed = raw.trim();
        if trimmed.len() > EmailAddress::MAX_LEN || trimmed.chars().any(char::is_control) {
            return Err(FieldProblem::Email);
        }
        let Ok(address) = trimmed.parse::<lettre::Address>() else {
            return Err(FieldProblem::Email);
        };
        let (local, domain) = (address.user(), address.domain());
        let host_name = domain.contains('.')
            && domain
                .split('.')
                .all(|label| !label.is_empty() && !label.starts_with('-') && !label.ends_with('-'))
            && !domain.starts_with('[');
        if local.len() > EmailAddress::MAX_LOCAL_LEN || !host_name {
            return Err(FieldProblem::Email);
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    /// The address as registrations compare it: lowercased whole (one registration per
    /// email per event).
    pub fn lowercased(self) -> Self {
        Self(self.0.to_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A number of seats: at least 1, at most 100,000.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capacity(u32);

impl Capacity {
    const MAX: u32 = 100_000;

    pub fn parse(raw: i64) -> Result<Self, String> {
        match u32::try_from(raw) {
            Ok(value @ 1..=Self::MAX) => Ok(Self(value)),
            _ => Err(format!("must be a whole number from 1 to {}", Self::MAX)),
        }
    }

    pub fn get(self) -> i32 {
        self.0 as i32
    }
}

/// Parses an optional capacity.
pub fn optional_capacity(raw: Option<i64>) -> Result<Option<Capacity>, String> {
    raw.map(Capacity::parse).transpose()
}

/// A year of admission (학번) or graduation, always four digits. Koreans write 학번 with two
/// digits ("14학번"), so 0 to 99 is read as a year of this century or the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Year(i32);

impl Year {
    const EARLIEST: i32 = 1950;
    const LATEST: i32 = 2100;
    /// How far ahead a two-digit year may reach: a student's expected graduation.
    const TWO_DIGIT_AHEAD: i32 = 10;

    /// What a year outside the bounds (or not a number) is told.
    pub const PROBLEM: FieldProblem = FieldProblem::Year {
        earliest: Self::EARLIEST,
        latest: Self::LATEST,
    };

    /// A year as written today (see `parse_in`).
    pub fn parse(raw: i32) -> Result<Self, FieldProblem> {
        Self::parse_in(raw, Utc::now().year())
    }

    /// A year as written in `this_year`. Two digits (0 to 99) pick the century that puts the
    /// year at most ten years after `this_year`: in 2026, 00–36 are 2000–2036 and 37–99 are
    /// 1937–1999 (so "14" is 2014 and "99" is 1999). Four digits are taken as they are.
    pub fn parse_in(raw: i32, this_year: i32) -> Result<Self, FieldProblem> {
        let year = match raw {
            0..=99 => {
                let century = (this_year + Self::TWO_DIGIT_AHEAD) / 100 * 100;
                let year = century + raw;
                if year > this_year + Self::TWO_DIGIT_AHEAD {
                    year - 100
                } else {
                    year
                }
            }
            _ => raw,
        };
        match year {
            Self::EARLIEST..=Self::LATEST => Ok(Self(year)),
            _ => Err(Self::PROBLEM),
        }
    }

    /// An optional year; absent stays absent.
    pub fn optional(raw: Option<i32>) -> Result<Option<Self>, FieldProblem> {
        raw.map(Self::parse).transpose()
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Graduation cannot come before admission; either may be unknown.
pub fn check_study_years(
    admission: Option<Year>,
    graduation: Option<Year>,
) -> Result<(), FieldProblem> {
    match (admission, graduation) {
        (Some(admission), Some(graduation)) if graduation < admission => {
            Err(FieldProblem::GraduationBeforeAdmission)
        }
        _ => Ok(()),
    }
}

/// An optional year as a plain number, for inputs that keep it so.
pub fn optional_year(raw: Option<i32>) -> Result<Option<i32>, FieldProblem> {
    Ok(Year::optional(raw)?.map(Year::get))
}

/// A half-open span of time `[starts_at, ends_at)` with `starts_at < ends_at`, in UTC and
/// whole seconds (sub-second precision means nothing for a schedule and would make stored
/// values compare inconsistently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
}

impl TimeRange {
    pub fn new(starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Result<Self, String> {
        let starts_at = starts_at.trunc_subsecs(0);
        let ends_at = ends_at.trunc_subsecs(0);
        if ends_at <= starts_at {
            return Err("must be after starts_at".into());
        }
        Ok(Self { starts_at, ends_at })
    }

    pub fn from_offsets(
        starts_at: DateTime<FixedOffset>,
        ends_at: DateTime<FixedOffset>,
    ) -> Result<Self, String> {
        Self::new(starts_at.with_timezone(&Utc), ends_at.with_timezone(&Utc))
    }

    pub fn starts_at(&self) -> DateTime<Utc> {
        self.starts_at
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.ends_at
    }

    /// Whether the two ranges share an instant; back-to-back ranges do not overlap.
    pub fn overlaps(&self, other: &TimeRange) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }

    pub fn contains(&self, other: &TimeRange) -> bool {
        self.starts_at <= other.starts_at && other.ends_at <= self.ends_at
    }
}

/// An IANA time zone such as `Asia/Seoul`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

impl TimeZone {
    /// Where events are held unless they say otherwise.
    pub const SEOUL: TimeZone = TimeZone(chrono_tz::Tz::Asia__Seoul);

    pub fn parse(raw: &str) -> Result<Self, String> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(Self)
            .map_err(|_| "must be an IANA time zone name such as Asia/Seoul".into())
    }

    /// `instant` on this zone's wall clock.
    pub fn local(self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.0).fixed_offset()
    }

    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The instant a wall-clock time on this zone names; the earlier one where clocks go
    /// back, none in the hour skipped when they go forward.
    pub fn at_local(self, local: chrono::NaiveDateTime) -> Option<DateTime<FixedOffset>> {
        use chrono::TimeZone as _;
        self.0
            .from_local_datetime(&local)
            .earliest()
            .map(|at| at.fixed_offset())
    }
}

/// A UTC instant as the wall clock of `zone` shows it, e.g. `2026-05-16T14:00:00+09:00`: the
/// one conversion to an event's local time (API answers, pages and mail).
///
/// `zone` is an event's stored time zone, checked by `TimeZone::parse` when it was written.
/// One that does not parse anyway is logged as the error it is and shown in UTC, whose offset
/// says so, rather than guessed.
pub fn in_zone(instant: DateTime<Utc>, zone: &str) -> DateTime<FixedOffset> {
    match TimeZone::parse(zone) {
        Ok(zone) => zone.local(instant),
        Err(_) => {
            tracing::error!(zone, "a stored time zone does not parse; showing UTC");
            instant.fixed_offset()
        }
    }
}

/// Topic tags: trimmed, lowercased, de-duplicated, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX_TAGS: usize = 30;
    pub const MAX_LEN: usize = 40;

    pub fn parse(raw: &[String]) -> Result<Self, String> {
        if raw.len() > Self::MAX_TAGS {
            return Err(format!("at most {} tags", Self::MAX_TAGS));
        }
        let mut tags: Vec<String> = Vec::with_capacity(raw.len());
        for tag in raw {
            let tag = tag.trim().to_lowercase();
            if tag.is_empty() || tag.chars().count() > Self::MAX_LEN {
                return Err(format!(
                    "each tag must be 1 to {} characters",
                    Self::MAX_LEN
                ));
            }
            // Quotes, backslashes and LIKE wildcards would make tag filtering ambiguous.
            if tag.chars().any(|c| c.is_control() || "\"\\%,".contains(c)) {
                return Err("tags must not contain quotes, backslashes, commas or %".into());
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        Ok(Self(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    /// The stored form: a JSON array in a text column.
    pub fn to_column(&self) -> String {
        serde_json::to_string(&self.0).expect("a list of strings serializes")
    }

    /// The stored list; a column that is not a JSON list of strings is an error.
    pub fn from_column(column: &str) -> Result<Vec<String>, sea_orm::DbErr> {
        crate::db::json_column("tags", column)
    }

    /// The `LIKE` pattern (escaped with `\`) matching a stored tag list that contains `tag`
    /// as a whole tag: the column is a JSON array, so the quoted tag matches whole tags only.
    /// It is escaped because a filter is not validated like a tag: `ai_ml` must not match the
    /// tag `ai-ml`, nor `%` every tag.
    pub fn like_pattern(tag: &str) -> String {
        let quoted =
            serde_json::to_string(&tag.trim().to_lowercase()).expect("a string serializes");
        format!("%{}%", escape_like(&quoted))
    }
}

/// English labels an organizer gives for Korean values (a question's options, an event's
/// tags): value → label. Every key is one of the values; a value without a label is shown as
/// it is, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct EnglishLabels(BTreeMap<String, String>);

impl EnglishLabels {
    /// Labels for `values`, keys trimmed (and made to match the values by `key`, e.g.
    /// lowercased for tags); each label is one line of at most 100 characters.
    pub fn parse(
        raw: &BTreeMap<String, String>,
        values: &[String],
        key: impl Fn(&str) -> String,
    ) -> Result<Self, FieldProblem> {
        let mut labels = BTreeMap::new();
        for (value, label) in raw {
            let value = key(value.trim());
            if !values.contains(&value) {
                return Err(format!("{value:?} is not one of the listed values").into());
            }
            labels.insert(value, Text::<100>::parse(label)?.into_inner());
        }
        Ok(Self(labels))
    }

    /// The label of `value` in `language`: the English one when there is one.
    pub fn label<'a>(&'a self, value: &'a str, language: Language) -> &'a str {
        match language {
            Language::En => self.0.get(value).map_or(value, String::as_str),
            Language::Ko => value,
        }
    }

    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// The stored form: a JSON object in a text column.
    pub fn to_column(&self) -> String {
        serde_json::to_string(&self.0).expect("a map of strings serializes")
    }

    /// The stored labels; a column that is not a JSON object of strings is an error.
    pub fn from_column(column: &'static str, raw: &str) -> Result<Self, sea_orm::DbErr> {
        crate::db::json_column(column, raw).map(Self)
    }
}

/// Values with their English labels (an event's tags on the form).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labelled {
    pub values: Vec<String>,
    pub english: EnglishLabels,
}

impl Labelled {
    /// Values without English labels.
    pub fn plain(values: Vec<String>) -> Self {
        Self {
            values,
            english: EnglishLabels::default(),
        }
    }

    pub fn contains(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value)
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// Escapes `LIKE` wildcards with a backslash, for patterns used with `ESCAPE '\\'`.
pub fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// A case-insensitive "contains" `LIKE` pattern (escaped with a backslash) for a search,
/// folded exactly as the database's `lower()` folds the column it is compared with: SQLite's
/// folds ASCII only, so a fully lowercased `Élodie` would not even find "Élodie" there.
pub fn contains_pattern(backend: sea_orm::DbBackend, search: &str) -> String {
    let folded = match backend {
        sea_orm::DbBackend::Sqlite => search.to_ascii_lowercase(),
        _ => search.to_lowercase(),
    };
    format!("%{}%", escape_like(&folded))
}

/// Longer links are not links people give (and some browsers cut them).
const MAX_URL_LEN: usize = 2000;

/// An absolute http(s) URL.
pub fn http_url(raw: &str) -> Result<String, String> {
    let error = || "must be an absolute http:// or https:// URL".to_string();
    let parsed = url::Url::parse(raw.trim()).map_err(|_| error())?;
    if !matches!(parsed.scheme(), "http" | "https")
        || parsed.host_str().is_none()
        || raw.len() > MAX_URL_LEN
    {
        return Err(error());
    }
    Ok(parsed.to_string())
}

/// A labelled link on a speaker's profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    #[schema(example = "GitHub")]
    pub label: String,
    #[schema(example = "https://github.com/example")]
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(Text::<5>::parse("  abc ").unwrap().into_inner(), "abc");
        assert!(Text::<5>::parse("   ").is_err());
        assert!(Text::<5>::parse("abcdef").is_err());
        assert!(Text::<10>::parse("a\u{0}b").is_err());
        assert_eq!(Text::<3>::parse("홈커밍").unwrap().into_inner(), "홈커밍");
    }

    #[test]
    fn slugs_are_url_safe() {
        assert!(Slug::parse("1n-homecoming-2026").is_ok());
        for bad in [
            "",
            "Upper",
            "two--hyphens",
            "-lead",
            "trail-",
            "sp ace",
            "한글",
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
        let derived = Slug::from_title("1&N 홈커밍 2026");
        assert!(Slug::parse(derived.as_str()).is_ok(), "{derived:?}");
        assert_eq!(Slug::from_title("!!!").as_str(), "event");
        assert_eq!(
            Slug::from_title("Homecoming").with_suffix(2).as_str(),
            "homecoming-2"
        );
        let long = Slug::from_title(&"word ".repeat(40));
        assert!(Slug::parse(long.as_str()).is_ok());
        assert!(Slug::parse(long.with_suffix(12).as_str()).is_ok());
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            EmailAddress::parse(" Kim@Example.COM ")
                .unwrap()
                .into_inner(),
            "Kim@example.com"
        );
        for good in [
            "o'brien+homecoming@mail.example.co.kr",
            "x_y-z@sub-domain.example",
        ] {
            assert!(EmailAddress::parse(good).is_ok(), "{good}");
        }
        let longest_local = format!("{}@b.co", "a".repeat(64));
        assert!(EmailAddress::parse(&longest_local).is_ok());
        assert!(EmailAddress::parse(&format!("a{longest_local}")).is_err());
        let too_long = format!("a@{}.co", "b".repeat(252));
        assert!(EmailAddress::parse(&too_long).is_err());
        for bad in [
            "",
            "no-at",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b.com\r\nBcc: x@y.z",
            "<a@b.com>",
            // What the mailer refuses: each was once accepted and then never delivered.
            "(x)@b.co",
            "a..b@b.co",
            ".a@b.co",
            "a\\b@b.co",
            "a:b@b.co",
            "a@-b.co",
            "a@b-.co",
            "a@[127.0.0.1]",
            "a@b..co",
            "a\u{0}b@b.co",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn years() {
        assert_eq!(Year::parse(2014).map(Year::get), Ok(2014));
        assert_eq!(Year::parse(1949), Err(Year::PROBLEM));
        assert_eq!(Year::optional(None), Ok(None));
        assert!(Year::optional(Some(2101)).is_err());
    }

    #[test]
    fn two_digit_years_pick_their_century() {
        let year = |raw, this_year| Year::parse_in(raw, this_year).map(Year::get);
        assert_eq!(year(14, 2026), Ok(2014));
        assert_eq!(year(99, 2026), Ok(1999));
        assert_eq!(year(0, 2026), Ok(2000));
        assert_eq!(year(5, 2026), Ok(2005), "05학번 arrives as 5");
        assert_eq!(
            year(36, 2026),
            Ok(2036),
            "a graduation up to ten years ahead"
        );
        assert_eq!(
            year(37, 2026),
            Err(Year::PROBLEM),
            "1937 is before the earliest"
        );
        assert_eq!(year(60, 2026), Ok(1960));
        assert_eq!(year(2014, 2026), Ok(2014), "four digits stay as they are");
        assert_eq!(year(95, 2090), Ok(2095), "the window moves with the years");
        assert_eq!(year(1949, 2026), Err(Year::PROBLEM));
        assert_eq!(year(-14, 2026), Err(Year::PROBLEM));
        assert_eq!(Year::optional(Some(14)), Ok(Some(Year(2014))));
    }

    #[test]
    fn english_labels_belong_to_the_values() {
        let values = vec!["커리어".to_string(), "ai".to_string()];
        let raw = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let lower = |key: &str| key.to_lowercase();
        let labels = EnglishLabels::parse(&raw(&[(" AI ", "AI & ML")]), &values, lower).unwrap();
        assert_eq!(labels.label("ai", Language::En), "AI & ML");
        assert_eq!(labels.label("ai", Language::Ko), "ai");
        assert_eq!(
            labels.label("커리어", Language::En),
            "커리어",
            "no label: the Korean"
        );
        assert!(EnglishLabels::parse(&raw(&[("cooking", "Cooking")]), &values, lower).is_err());
        assert!(EnglishLabels::parse(&raw(&[("ai", " ")]), &values, lower).is_err());
        let stored = EnglishLabels::from_column("labels", &labels.to_column()).unwrap();
        assert_eq!(stored, labels);
    }

    #[test]
    fn graduation_is_not_before_admission() {
        let year = |y| Some(Year(y));
        assert_eq!(check_study_years(year(2014), year(2018)), Ok(()));
        assert_eq!(check_study_years(year(2014), year(2014)), Ok(()));
        assert_eq!(check_study_years(None, year(2010)), Ok(()));
        assert_eq!(check_study_years(year(2014), None), Ok(()));
        assert_eq!(
            check_study_years(year(2018), year(2014)),
            Err(FieldProblem::GraduationBeforeAdmission)
        );
    }

    #[test]
    fn capacity_bounds() {
        assert!(Capacity::parse(0).is_err());
        assert!(Capacity::parse(-5).is_err());
        assert_eq!(Capacity::parse(120).unwrap().get(), 120);
        assert!(Capacity::parse(100_001).is_err());
    }

    #[test]
    fn time_ranges() {
        let at = |h| Utc.with_ymd_and_hms(2026, 5, 16, h, 0, 0).unwrap();
        assert!(TimeRange::new(at(10), at(10)).is_err());
        assert!(TimeRange::new(at(11), at(10)).is_err());
        let morning = TimeRange::new(at(9), at(12)).unwrap();
        let late_morning = TimeRange::new(at(11), at(13)).unwrap();
        let afternoon = TimeRange::new(at(12), at(14)).unwrap();
        assert!(morning.overlaps(&late_morning));
        assert!(
            !morning.overlaps(&afternoon),
            "back-to-back is not an overlap"
        );
        assert!(TimeRange::new(at(8), at(14)).unwrap().contains(&morning));
        assert!(!morning.contains(&late_morning));
    }

    #[test]
    fn time_zones_and_offsets() {
        assert!(TimeZone::parse("Asia/Seoul").is_ok());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        let instant = Utc.with_ymd_and_hms(2026, 5, 16, 5, 0, 0).unwrap();
        assert_eq!(
            in_zone(instant, "Asia/Seoul").to_rfc3339(),
            "2026-05-16T14:00:00+09:00"
        );
        assert_eq!(
            in_zone(instant, "Mars/Olympus").to_rfc3339(),
            "2026-05-16T05:00:00+00:00",
            "a zone that does not parse is not guessed"
        );
    }

    #[test]
    fn tags_are_normalized() {
        let tags = Tags::parse(&[" AI ".into(), "ai".into(), "백엔드".into()]).unwrap();
        assert_eq!(tags.to_column(), r#"["ai","백엔드"]"#);
        assert!(Tags::parse(&["50%".into()]).is_err());
        assert!(Tags::parse(&["".into()]).is_err());
        assert_eq!(Tags::like_pattern("AI"), "%\"ai\"%");
        assert_eq!(Tags::like_pattern("a_b%"), "%\"a\\_b\\%\"%");
    }

    #[test]
    fn urls() {
        assert!(http_url("https://naver.me/xyz").is_ok());
        assert!(http_url("javascript:alert(1)").is_err());
        assert!(http_url("not a url").is_err());
    }

    #[test]
    fn a_wall_clock_time_becomes_its_instant() {
        let local =
            |raw: &str| chrono::NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M").unwrap();
        let seoul = TimeZone::parse("Asia/Seoul").unwrap();
        assert_eq!(
            seoul
                .at_local(local("2027-05-15T13:00"))
                .map(|at| at.to_utc()),
            Some(Utc.with_ymd_and_hms(2027, 5, 15, 4, 0, 0).unwrap())
        );
        let new_york = TimeZone::parse("America/New_York").unwrap();
        assert_eq!(
            new_york.at_local(local("2027-03-14T02:30")),
            None,
            "skipped by DST"
        );
    }
}
