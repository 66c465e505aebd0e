//! The event as an iCalendar file (RFC 5545) for a person's calendar.

use chrono::{DateTime, Utc};

/// What goes into the calendar entry.
pub struct CalendarEvent<'a> {
    /// Stable per registration, so importing the file again updates the same entry.
    pub uid: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: &'a str,
    pub location: Option<String>,
    pub description: Option<&'a str>,
    pub url: &'a str,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    pub status: &'static str,
    pub stamp: DateTime<Utc>,
}

impl CalendarEvent<'_> {
    /// The whole `.ics` file: CRLF line ends, long lines folded at 75 octets.
    pub fn to_ics(&self) -> String {
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//1&N//homecoming//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            "METHOD:PUBLISH".into(),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", text(&self.uid)),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", text(self.summary)),
        ];
        if let Some(location) = &self.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        if let Some(description) = self.description {
            lines.push(format!("DESCRIPTION:{}", text(description)));
        }
        // URL is of type URI: no TEXT escaping, but it must not break the line.
        lines.push(format!("URL:{}", self.url.replace(['\r', '\n'], "")));
        lines.push(format!("STATUS:{}", self.status));
        lines.push("END:VEVENT".into());
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for line in lines {
            fold(&line, &mut out);
        }
        out
    }
}

/// A UTC date-time in the basic format, e.g. `20260516T040000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded into lines of at most 75 octets (continuations start with a space),
/// never splitting a UTF-8 character, each ended by CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(summary: &'a str, location: &str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: "0190-abc@homecoming".into(),
            starts_at: "2026-05-16T04:00:00Z".parse().unwrap(),
            ends_at: "2026-05-16T09:00:00Z".parse().unwrap(),
            summary,
            location: Some(location.into()),
            description: None,
            url: "http://127.0.0.1:8080/events/x",
            status: "CONFIRMED",
            stamp: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn writes_utc_times_and_escaped_text_with_crlf() {
        let ics = event("1&N 홈커밍, 2026; \"봄\"", "서울\n관악구").to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nDTSTART:20260516T040000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20260516T090000Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:1&N 홈커밍\\, 2026\\; \"봄\"\r\n"));
        assert!(ics.contains("\r\nLOCATION:서울\\n관악구\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let long = "가".repeat(60);
        let ics = event(&long, "x").to_ics();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
    }
}
