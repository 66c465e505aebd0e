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
}
