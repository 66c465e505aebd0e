//! The organizer of emailed invites: the configured sender, added when a stored invite (see
//! [`crate::ics`]) is sent.

use crate::ics::{fold, param};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_organizer_goes_first_in_the_event() {
        let invite = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let with = with_organizer(invite, Some("1&N"), "homecoming@example.com");
        assert!(
            with.contains("BEGIN:VEVENT\r\nORGANIZER;CN=\"1&N\":mailto:homecoming@example.com\r\n")
        );
        let plain = with_organizer(invite, None, "homecoming@example.com");
        assert!(plain.contains("BEGIN:VEVENT\r\nORGANIZER:mailto:homecoming@example.com\r\n"));
    }
}
