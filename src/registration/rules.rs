//! Admission rules as pure functions: when registration is open, who gets a seat, who
//! waits, who is promoted.

use chrono::{DateTime, Utc};
use entity::event;

use crate::events::EventStatus;

/// Why registration is not possible now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosedReason {
    NotYetOpen,
    Closed,
}

/// Why registration is not possible at `now`, if it is not: the event is not published, its
/// window has not opened, or it has closed (at the latest when the event ends).
pub fn closed_reason(event: &event::Model, now: DateTime<Utc>) -> Option<ClosedReason> {
    if event.status != EventStatus::Published {
        return Some(ClosedReason::Closed);
    }
    if event.registration_opens_at.is_some_and(|opens| now < opens) {
        return Some(ClosedReason::NotYetOpen);
    }
    let closes = Ord::min(
        event.registration_closes_at.unwrap_or(event.ends_at),
        event.ends_at,
    );
    if now >= closes {
        return Some(ClosedReason::Closed);
    }
    None
}

/// Where a new (or newly approved) registration goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Confirmed,
    Waitlisted,
    /// Waits for an organizer's approval; holds no seat.
    Pending,
}

/// Seats go in order of arrival until the event is full; then people wait in order.
/// Approval mode holds everyone as pending first.
pub fn admit(requires_approval: bool, capacity: i32, confirmed: u64) -> Admission {
    if requires_approval {
        Admission::Pending
    } else {
        seat_or_wait(capacity, confirmed)
    }
}

/// The decision for someone who may take a seat now (a new registration without approval, or
/// an approved one): a seat if one is free, else the waitlist.
pub fn seat_or_wait(capacity: i32, confirmed: u64) -> Admission {
    if confirmed < capacity.max(0) as u64 {
        Admission::Confirmed
    } else {
        Admission::Waitlisted
    }
}

/// How many people from the head of the waitlist take the free seats.
pub fn promotions(capacity: i32, confirmed: u64, waiting: u64) -> u64 {
    let free = (capacity.max(0) as u64).saturating_sub(confirmed);
    free.min(waiting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seats_fill_in_order_then_people_wait() {
        assert_eq!(admit(false, 2, 0), Admission::Confirmed);
        assert_eq!(admit(false, 2, 1), Admission::Confirmed);
        assert_eq!(admit(false, 2, 2), Admission::Waitlisted);
        assert_eq!(
            admit(false, 2, 5),
            Admission::Waitlisted,
            "over capacity never confirms"
        );
    }

    #[test]
    fn approval_mode_holds_everyone() {
        assert_eq!(admit(true, 10, 0), Admission::Pending);
    }

    #[test]
    fn promotions_fill_free_seats_only() {
        assert_eq!(promotions(10, 8, 5), 2);
        assert_eq!(promotions(10, 8, 1), 1);
        assert_eq!(promotions(10, 10, 5), 0);
        assert_eq!(promotions(10, 12, 5), 0);
    }

    fn event_at(status: EventStatus, opens: Option<&str>, closes: Option<&str>) -> event::Model {
        let at = |raw: &str| raw.parse::<DateTime<Utc>>().unwrap();
        event::Model {
            id: uuid::Uuid::nil(),
            title: "1&N".into(),
            slug: "1n".into(),
            description: None,
            starts_at: at("2030-05-16T04:00:00Z"),
            ends_at: at("2030-05-16T10:00:00Z"),
            time_zone: "Asia/Seoul".into(),
            local_year: 2030,
            venue_id: None,
            capacity: Some(10),
            registration_opens_at: opens.map(at),
            registration_closes_at: closes.map(at),
            tags: "[]".into(),
            tags_en: "{}".into(),
            status,
            published_at: Some(at("2030-01-01T00:00:00Z")),
            requires_approval: false,
            reminder_offsets: "[]".into(),
            calendar_sequence: 0,
            confirmed_count: 0,
            waitlisted_count: 0,
            last_waitlist_seq: 0,
            created_at: at("2030-01-01T00:00:00Z"),
            updated_at: at("2030-01-01T00:00:00Z"),
        }
    }

    #[test]
    fn registration_is_open_inside_the_window_of_a_published_event_only() {
        let now = |raw: &str| raw.parse::<DateTime<Utc>>().unwrap();
        let windowed = event_at(
            EventStatus::Published,
            Some("2030-04-01T00:00:00Z"),
            Some("2030-05-10T00:00:00Z"),
        );
        assert_eq!(
            closed_reason(&windowed, now("2030-03-31T23:59:59Z")),
            Some(ClosedReason::NotYetOpen)
        );
        assert_eq!(closed_reason(&windowed, now("2030-04-01T00:00:00Z")), None);
        assert_eq!(
            closed_reason(&windowed, now("2030-05-10T00:00:00Z")),
            Some(ClosedReason::Closed),
            "the closing time is exclusive"
        );

        let open_ended = event_at(EventStatus::Published, None, Some("2031-01-01T00:00:00Z"));
        assert_eq!(
            closed_reason(&open_ended, now("2030-05-16T09:59:59Z")),
            None
        );
        assert_eq!(
            closed_reason(&open_ended, now("2030-05-16T10:00:00Z")),
            Some(ClosedReason::Closed),
            "registration closes when the event ends at the latest"
        );

        for status in [
            EventStatus::Draft,
            EventStatus::Closed,
            EventStatus::Cancelled,
        ] {
            let event = event_at(status, None, None);
            assert_eq!(
                closed_reason(&event, now("2030-04-01T00:00:00Z")),
                Some(ClosedReason::Closed),
                "{status}"
            );
        }
    }
}
