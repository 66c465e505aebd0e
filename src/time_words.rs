//! Dates, hours and time zones written out for people, in Korean or English: the one place
//! pages and mails turn an instant into words, so both say the same thing the same way.

use chrono::{DateTime, Datelike, FixedOffset, NaiveTime, TimeDelta, Timelike, Utc, Weekday};

use crate::domain::in_zone;
use crate::registration::Language;

/// A time zone as people say it: "한국 시간" / "Korea time" rather than `Asia/Seoul`. Zones
/// without a common name are called after their city ("Berlin 시간" / "Berlin time").
pub fn zone_in_words(zone: &str, language: Language) -> String {
    let named = match zone {
        "Asia/Seoul" => Some(("한국 시간", "Korea time")),
        "Asia/Tokyo" => Some(("일본 시간", "Japan time")),
        "UTC" | "Etc/UTC" => Some(("협정 세계시(UTC)", "UTC")),
        _ => None,
    };
    if let Some((ko, en)) = named {
        return match language {
            Language::Ko => ko.into(),
            Language::En => en.into(),
        };
    }
    let city = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
    match language {
        Language::Ko => format!("{city} 시간"),
        Language::En => format!("{city} time"),
    }
}

/// "5월 18일 (토)" / "Sat 18 May".
pub fn day(at: &DateTime<FixedOffset>, language: Language) -> String {
    match language {
        Language::Ko => format!(
            "{}월 {}일 ({})",
            at.month(),
            at.day(),
            ko_weekday(at.weekday())
        ),
        Language::En => at.format("%a %-d %B").to_string(),
    }
}

/// "2030년 5월 18일 (토)" / "Saturday 18 May 2030".
pub fn day_with_year(at: &DateTime<FixedOffset>, language: Language) -> String {
    match language {
        Language::Ko => format!("{}년 {}", at.year(), day(at, language)),
        Language::En => at.format("%A %-d %B %Y").to_string(),
    }
}

/// The event's date and hours in its own zone, with the zone in words:
/// "2030년 5월 18일 (토) 13:00–18:00 (한국 시간)" / "Saturday 18 May 2030, 13:00–18:00 (Korea time)".
pub fn event_when(
    starts_at: impl Into<DateTime<Utc>>,
    ends_at: impl Into<DateTime<Utc>>,
    zone: &str,
    language: Language,
) -> String {
    let starts = in_zone(starts_at.into(), zone);
    let ends = in_zone(ends_at.into(), zone);
    let zone_words = zone_in_words(zone, language);
    let hm = |at: &DateTime<FixedOffset>| at.format("%H:%M").to_string();
    let same_day = starts.date_naive() == ends.date_naive();
    match (language, same_day) {
        (Language::Ko, true) | (Language::En, true) => {
            let separator = if language == Language::Ko { " " } else { ", " };
            format!(
                "{}{separator}{}–{} ({zone_words})",
                day_with_year(&starts, language),
                hm(&starts),
                hm(&ends)
            )
        }
        (_, false) => {
            let separator = if language == Language::Ko { " " } else { ", " };
            format!(
                "{}{separator}{} – {}{separator}{} ({zone_words})",
                day_with_year(&starts, language),
                hm(&starts),
                day_with_year(&ends, language),
                hm(&ends)
            )
        }
    }
}

/// A deadline that cannot be misread: "5월 14일 (금) 23:59까지" / "until Fri 14 May, 23:59".
/// A deadline at midnight is written as the last minute of the day before, because
/// "5월 15일 00:00" is read by many as the end of the 15th.
pub fn until(deadline: DateTime<Utc>, zone: &str, language: Language) -> String {
    let mut at = in_zone(deadline, zone);
    if at.time() == NaiveTime::MIN {
        at -= TimeDelta::minutes(1);
    }
    let time = format!("{:02}:{:02}", at.hour(), at.minute());
    match language {
        Language::Ko => format!("{} {time}까지", day(&at, language)),
        Language::En => format!("until {}, {time}", day(&at, language)),
    }
}

/// The hour and minute of `at` in the event's zone, "13:42": the door's "checked in at".
pub fn clock(at: DateTime<Utc>, zone: &str) -> String {
    in_zone(at, zone).format("%H:%M").to_string()
}

fn ko_weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "월",
        Weekday::Tue => "화",
        Weekday::Wed => "수",
        Weekday::Thu => "목",
        Weekday::Fri => "금",
        Weekday::Sat => "토",
        Weekday::Sun => "일",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(raw)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn zones_are_named_in_words() {
        assert_eq!(zone_in_words("Asia/Seoul", Language::Ko), "한국 시간");
        assert_eq!(zone_in_words("Asia/Seoul", Language::En), "Korea time");
        assert_eq!(
            zone_in_words("America/New_York", Language::En),
            "New York time"
        );
        assert_eq!(zone_in_words("Europe/Berlin", Language::Ko), "Berlin 시간");
    }

    #[test]
    fn an_event_on_one_day_reads_as_a_date_and_hours() {
        let starts = at("2030-05-18T13:00:00+09:00");
        let ends = at("2030-05-18T18:00:00+09:00");
        assert_eq!(
            event_when(starts, ends, "Asia/Seoul", Language::Ko),
            "2030년 5월 18일 (토) 13:00–18:00 (한국 시간)"
        );
        assert_eq!(
            event_when(starts, ends, "Asia/Seoul", Language::En),
            "Saturday 18 May 2030, 13:00–18:00 (Korea time)"
        );
    }

    #[test]
    fn an_event_over_two_days_names_both() {
        let starts = at("2030-05-18T20:00:00+09:00");
        let ends = at("2030-05-19T02:00:00+09:00");
        assert_eq!(
            event_when(starts, ends, "Asia/Seoul", Language::Ko),
            "2030년 5월 18일 (토) 20:00 – 2030년 5월 19일 (일) 02:00 (한국 시간)"
        );
    }

    #[test]
    fn a_midnight_deadline_is_the_last_minute_of_the_day_before() {
        let midnight = at("2030-05-15T00:00:00+09:00");
        assert_eq!(
            until(midnight, "Asia/Seoul", Language::Ko),
            "5월 14일 (화) 23:59까지"
        );
        assert_eq!(
            until(midnight, "Asia/Seoul", Language::En),
            "until Tue 14 May, 23:59"
        );
        let evening = at("2030-05-14T18:30:00+09:00");
        assert_eq!(
            until(evening, "Asia/Seoul", Language::Ko),
            "5월 14일 (화) 18:30까지"
        );
    }
}
