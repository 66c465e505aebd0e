//! Calendar invitations by email (RFC 5545 objects with RFC 6047 methods).

use chrono::{DateTime, Utc};

pub struct Invite<'a> {
    /// Stable per registration, so a later update or cancellation replaces the same entry.
    pub uid: String,
    /// `REQUEST` or `CANCEL`.
    pub method: &'static str,
    /// Higher on every change of the same UID (a cancellation follows the request).
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: &'a str,
    pub location: Option<String>,
    pub description: Option<String>,
    pub attendee_name: &'a str,
    pub attendee_email: &'a str,
    pub stamp: DateTime<Utc>,
}

impl Invite<'_> {
    /// The whole `.ics` text: CRLF line ends, lines folded at 75 octets, times in UTC (so no
    /// VTIMEZONE is needed and every client shows the right local hour). The ORGANIZER line
    /// is added when sending (see [`with_organizer`]), since it names the configured sender.
    pub fn to_ics(&self) -> String {
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//1&N//homecoming//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            format!("METHOD:{}", self.method),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", text(&self.uid)),
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", text(self.summary)),
        ];
        if let Some(location) = &self.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        if let Some(description) = &self.description {
            lines.push(format!("DESCRIPTION:{}", text(description)));
        }
        lines.push(format!(
            "ATTENDEE;CN=\"{}\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{}",
            param(self.attendee_name),
            param(self.attendee_email)
        ));
        lines.push(format!(
            "STATUS:{}",
            if self.method == "CANCEL" {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ));
        lines.push("END:VEVENT".into());
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for line in lines {
            fold(&line, &mut out);
        }
        out
    }
}

/// Adds the ORGANIZER property (the configured sender) to a stored invite.
pub fn with_organizer(ics: &str, name: Option<&str>, address: &str) -> String {
    let organizer = match name {
        Some(name) => format!("ORGANIZER;CN=\"{}\":mailto:{}", param(name), param(address)),
        None => format!("ORGANIZER:mailto:{}", param(address)),
    };
    let mut line = String::new();
    fold(&organizer, &mut line);
    ics.replacen("BEGIN:VEVENT\r\n", &format!("BEGIN:VEVENT\r\n{line}"), 1)
}

/// A UTC date-time in the basic format, e.g. `20270515T040000Z`.
fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11).
fn text(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A quoted parameter value or a mailto address: no quotes, no control characters.
fn param(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect()
}

/// Appends `line` folded into lines of at most 75 octets, never splitting a UTF-8 character.
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

    #[test]
    fn invite_is_folded_escaped_and_in_utc() {
        let invite = Invite {
            uid: "abc@homecoming".into(),
            method: "REQUEST",
            sequence: 0,
            starts_at: "2027-05-15T04:00:00Z".parse().unwrap(),
            ends_at: "2027-05-15T10:00:00Z".parse().unwrap(),
            summary: "1&N 홈커밍, 2027; 서울",
            location: Some("서울대학교 302동 대강당 — 서울특별시 관악구 관악로 1".repeat(3)),
            description: Some("line one\r\nline two".into()),
            attendee_name: "김\"서연\r\nBcc: x",
            attendee_email: "seoyeon@example.com",
            stamp: "2027-01-01T00:00:00Z".parse().unwrap(),
        }
        .to_ics();
        assert!(invite.contains("METHOD:REQUEST\r\n"));
        assert!(invite.contains("DTSTART:20270515T040000Z\r\n"));
        assert!(invite.contains("SUMMARY:1&N 홈커밍\\, 2027\\; 서울\r\n"));
        assert!(invite.contains("line one\\nline two"));
        assert!(invite.contains("CN=\"김서연Bcc: x\""));
        for line in invite.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
        let with = with_organizer(&invite, Some("1&N"), "homecoming@example.com");
        assert!(
            with.contains("BEGIN:VEVENT\r\nORGANIZER;CN=\"1&N\":mailto:homecoming@example.com\r\n")
        );
    }
}
