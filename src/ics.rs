//! iCalendar (RFC 5545) for one event: the `.ics` download of the manage page (`PUBLISH`)
//! and the invites sent by email (`REQUEST` / `CANCEL`, RFC 6047). Times are in UTC, so no
//! VTIMEZONE is needed and every client shows the right local hour.

use chrono::{DateTime, Utc};
use entity::event;
use uuid::Uuid;

/// One calendar entry.
pub struct CalendarEvent<'a> {
    /// Stable per registration, so a later file or invite replaces the same entry.
    pub uid: String,
    /// The iTIP method: `PUBLISH` for a file, `REQUEST` or `CANCEL` for an invite.
    pub method: &'static str,
    /// Higher on every change of the same UID.
    pub sequence: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub summary: &'a str,
    pub location: Option<String>,
    pub description: Option<&'a str>,
    /// The person an invite is for: display name and address.
    pub attendee: Option<(&'a str, &'a str)>,
    pub url: Option<&'a str>,
    /// `CONFIRMED`, `TENTATIVE` or `CANCELLED`.
    pub status: &'static str,
    pub stamp: DateTime<Utc>,
}

impl CalendarEvent<'_> {
    /// The whole `.ics` text: CRLF line ends, long lines folded at 75 octets.
    pub fn to_ics(&self) -> String {
        let mut lines = vec![
            "BEGIN:VCALENDAR".to_string(),
            "VERSION:2.0".into(),
            "PRODID:-//1&N//homecoming//EN".into(),
            "CALSCALE:GREGORIAN".into(),
            format!("METHOD:{}", self.method),
            "BEGIN:VEVENT".into(),
            format!("UID:{}", text(&self.uid)),
        ];
        lines.extend([
            format!("SEQUENCE:{}", self.sequence),
            format!("DTSTAMP:{}", utc(self.stamp)),
            format!("DTSTART:{}", utc(self.starts_at)),
            format!("DTEND:{}", utc(self.ends_at)),
            format!("SUMMARY:{}", text(self.summary)),
        ]);
        if let Some(location) = &self.location {
            lines.push(format!("LOCATION:{}", text(location)));
        }
        if let Some(description) = self.description {
            lines.push(format!("DESCRIPTION:{}", text(description)));
        }
        if let Some((name, address)) = self.attendee {
            lines.push(format!(
                "ATTENDEE;CN=\"{}\";ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;RSVP=FALSE:mailto:{}",
                param(name),
                param(address)
            ));
        }
        if let Some(url) = self.url {
            // URL is of type URI: no TEXT escaping, but it must not break the line.
            lines.push(format!("URL:{}", url.replace(['\r', '\n'], "")));
        }
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

/// A venue as calendars show it.
pub struct Place<'a> {
    pub name: &'a str,
    pub address: &'a str,
}

/// The calendar entry of one registration, as the download and every invite carry it: one
/// UID per registration, the event's SEQUENCE, times, summary and location. Callers set only
/// what differs between them (method, status, attendee, link), so a later invite or file
/// replaces the entry an earlier one made instead of adding a second.
pub fn registration_entry<'a>(
    event: &'a event::Model,
    place: Option<Place<'_>>,
    registration_id: Uuid,
) -> CalendarEvent<'a> {
    CalendarEvent {
        uid: format!("registration-{registration_id}@homecoming"),
        method: "PUBLISH",
        sequence: u32::try_from(event.calendar_sequence).unwrap_or(0),
        starts_at: event.starts_at,
        ends_at: event.ends_at,
        summary: &event.title,
        location: place.map(|place| match place.address.trim() {
            "" => place.name.to_string(),
            address => format!("{}, {address}", place.name),
        }),
        description: event.description.as_deref(),
        attendee: None,
        url: None,
        status: "CONFIRMED",
        stamp: Utc::now(),
    }
}

/// A UTC date-time in the basic format, e.g. `20260516T040000Z`.
pub fn utc(at: DateTime<Utc>) -> String {
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
pub fn param(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect()
}

/// Appends `line` folded into lines of at most 75 octets (continuations start with a space),
/// never splitting a UTF-8 character, each ended by CRLF.
pub fn fold(line: &str, out: &mut String) {
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

    fn download<'a>(summary: &'a str, location: &str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: "0190-abc@homecoming".into(),
            method: "PUBLISH",
            sequence: 0,
            starts_at: "2026-05-16T04:00:00Z".parse().unwrap(),
            ends_at: "2026-05-16T09:00:00Z".parse().unwrap(),
            summary,
            location: Some(location.into()),
            description: None,
            attendee: None,
            url: Some("http://127.0.0.1:8080/events/x"),
            status: "CONFIRMED",
            stamp: "2026-01-01T00:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn writes_utc_times_and_escaped_text_with_crlf() {
        let ics = download("1&N 홈커밍, 2026; \"봄\"", "서울\n관악구").to_ics();
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:0\r\n") && !ics.contains("ATTENDEE"));
        assert!(ics.contains("\r\nDTSTART:20260516T040000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20260516T090000Z\r\n"));
        assert!(ics.contains("\r\nSUMMARY:1&N 홈커밍\\, 2026\\; \"봄\"\r\n"));
        assert!(ics.contains("\r\nLOCATION:서울\\n관악구\r\n"));
        assert!(ics.contains("\r\nURL:http://127.0.0.1:8080/events/x\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let long = "가".repeat(60);
        let ics = download(&long, "x").to_ics();
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
    }

    #[test]
    fn an_invite_is_folded_escaped_and_in_utc() {
        let location = "서울대학교 302동 대강당 — 서울특별시 관악구 관악로 1".repeat(3);
        let invite = CalendarEvent {
            uid: "abc@homecoming".into(),
            method: "REQUEST",
            sequence: 0,
            starts_at: "2027-05-15T04:00:00Z".parse().unwrap(),
            ends_at: "2027-05-15T10:00:00Z".parse().unwrap(),
            summary: "1&N 홈커밍, 2027; 서울",
            location: Some(location),
            description: Some("line one\r\nline two"),
            attendee: Some(("김\"서연\r\nBcc: x", "seoyeon@example.com")),
            url: None,
            status: "CONFIRMED",
            stamp: "2027-01-01T00:00:00Z".parse().unwrap(),
        }
        .to_ics();
        assert!(invite.contains("METHOD:REQUEST\r\n"));
        assert!(invite.contains("SEQUENCE:0\r\n"));
        assert!(invite.contains("DTSTART:20270515T040000Z\r\n"));
        assert!(invite.contains("SUMMARY:1&N 홈커밍\\, 2027\\; 서울\r\n"));
        assert!(invite.contains("line one\\nline two"));
        assert!(invite.contains("CN=\"김서연Bcc: x\""));
        assert!(!invite.contains("URL:"));
        for line in invite.split("\r\n") {
            assert!(line.len() <= 75, "{line}");
        }
    }
}
