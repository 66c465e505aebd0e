//! The seat counters kept on the event row: confirmed seats, people waiting and the last
//! waitlist number. Every status change changes them in its own transaction, under the event
//! lock, so admission never counts registrations or reads the waitlist: its cost is the same
//! with ten or ten thousand people waiting.

use entity::event;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::RegistrationStatus;
use super::rules::{Admission, admit, promotions, seat_or_wait};

/// Where a registration lands: its status and, on the waitlist, its number and position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub status: RegistrationStatus,
    pub waitlist_seq: Option<i64>,
    /// 1 for the head of the waitlist.
    pub waitlist_position: Option<u64>,
}

/// An event's seat figures as read from its locked row, changed in memory and written back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seats {
    event_id: Uuid,
    capacity: i32,
    requires_approval: bool,
    confirmed: u64,
    waitlisted: u64,
    last_waitlist_seq: i64,
}

impl Seats {
    /// The figures of a row read under the event lock.
    pub fn of(event: &event::Model) -> Self {
        Self {
            event_id: event.id,
            capacity: event.capacity.unwrap_or(0),
            requires_approval: event.requires_approval,
            confirmed: u64::try_from(event.confirmed_count).unwrap_or(0),
            waitlisted: u64::try_from(event.waitlisted_count).unwrap_or(0),
            last_waitlist_seq: event.last_waitlist_seq,
        }
    }

    pub fn confirmed(&self) -> u64 {
        self.confirmed
    }

    pub fn waitlisted(&self) -> u64 {
        self.waitlisted
    }

    /// A new registration: a seat while there is one, else the end of the waitlist, or
    /// pending when the event wants approval.
    pub fn admit_new(&mut self) -> Place {
        let admission = admit(self.requires_approval, self.capacity, self.confirmed);
        self.enter(admission)
    }

    /// An approved registration: a seat while there is one, else the end of the waitlist.
    pub fn admit_approved(&mut self) -> Place {
        let admission = seat_or_wait(self.capacity, self.confirmed);
        self.enter(admission)
    }

    fn enter(&mut self, admission: Admission) -> Place {
        match admission {
            Admission::Confirmed => {
                self.confirmed += 1;
                Place {
                    status: RegistrationStatus::Confirmed,
                    waitlist_seq: None,
                    waitlist_position: None,
                }
            }
            Admission::Waitlisted => {
                self.waitlisted += 1;
                self.last_waitlist_seq += 1;
                Place {
                    status: RegistrationStatus::Waitlisted,
                    waitlist_seq: Some(self.last_waitlist_seq),
                    // Everyone waiting came earlier: the newcomer is last.
                    waitlist_position: Some(self.waitlisted),
                }
            }
            Admission::Pending => Place {
                status: RegistrationStatus::Pending,
                waitlist_seq: None,
                waitlist_position: None,
            },
        }
    }

    /// A registration in `status` is cancelled, rejected or otherwise leaves it.
    pub fn leave(&mut self, status: RegistrationStatus) {
        match status {
            RegistrationStatus::Confirmed => self.confirmed = self.confirmed.saturating_sub(1),
            RegistrationStatus::Waitlisted => self.waitlisted = self.waitlisted.saturating_sub(1),
            RegistrationStatus::Pending
            | RegistrationStatus::Rejected
            | RegistrationStatus::Cancelled => {}
        }
    }

    /// How many from the head of the waitlist take the free seats now; they are counted as
    /// confirmed from here on.
    pub fn promote(&mut self) -> u64 {
        let promoted = promotions(self.capacity, self.confirmed, self.waitlisted);
        self.confirmed += promoted;
        self.waitlisted -= promoted;
        promoted
    }

    /// The same figures with another capacity (an organizer's change).
    pub fn with_capacity(mut self, capacity: Option<i32>) -> Self {
        self.capacity = capacity.unwrap_or(0);
        self
    }

    /// Writes the figures back to the event row (in the transaction holding its lock).
    pub async fn save(&self, txn: &impl ConnectionTrait) -> Result<(), DbErr> {
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        event::Entity::update_many()
            .col_expr(
                event::Column::ConfirmedCount,
                Expr::value(count(self.confirmed)),
            )
            .col_expr(
                event::Column::WaitlistedCount,
                Expr::value(count(self.waitlisted)),
            )
            .col_expr(
                event::Column::LastWaitlistSeq,
                Expr::value(self.last_waitlist_seq),
            )
            .filter(event::Column::Id.eq(self.event_id))
            .exec(txn)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seats(capacity: i32, requires_approval: bool) -> Seats {
        Seats {
            event_id: Uuid::nil(),
            capacity,
            requires_approval,
            confirmed: 0,
            waitlisted: 0,
            last_waitlist_seq: 0,
        }
    }

    #[test]
    fn newcomers_take_seats_then_queue_at_the_end_with_their_position() {
        let mut seats = seats(2, false);
        assert_eq!(seats.admit_new().status, RegistrationStatus::Confirmed);
        assert_eq!(seats.admit_new().status, RegistrationStatus::Confirmed);
        let third = seats.admit_new();
        let fourth = seats.admit_new();
        assert_eq!(third.status, RegistrationStatus::Waitlisted);
        assert_eq!(
            (third.waitlist_seq, third.waitlist_position),
            (Some(1), Some(1))
        );
        assert_eq!(
            (fourth.waitlist_seq, fourth.waitlist_position),
            (Some(2), Some(2))
        );
        assert_eq!((seats.confirmed(), seats.waitlisted()), (2, 2));
    }

    #[test]
    fn a_cancelled_seat_goes_to_the_head_and_numbers_never_repeat() {
        let mut seats = seats(1, false);
        seats.admit_new();
        seats.admit_new();
        seats.admit_new();
        seats.leave(RegistrationStatus::Confirmed);
        assert_eq!(seats.promote(), 1);
        assert_eq!((seats.confirmed(), seats.waitlisted()), (1, 1));
        // Someone waiting leaves; the next newcomer is second again, with a new number.
        seats.admit_new();
        seats.leave(RegistrationStatus::Waitlisted);
        let next = seats.admit_new();
        assert_eq!(next.waitlist_seq, Some(4));
        assert_eq!(next.waitlist_position, Some(2));
    }

    #[test]
    fn approval_mode_holds_newcomers_without_a_seat() {
        let mut seats = seats(5, true);
        assert_eq!(seats.admit_new().status, RegistrationStatus::Pending);
        assert_eq!((seats.confirmed(), seats.waitlisted()), (0, 0));
        assert_eq!(seats.admit_approved().status, RegistrationStatus::Confirmed);
        assert_eq!(seats.confirmed(), 1);
    }

    #[test]
    fn more_capacity_promotes_as_many_as_it_frees() {
        let mut seats = seats(1, false);
        for _ in 0..4 {
            seats.admit_new();
        }
        let mut seats = seats.with_capacity(Some(3));
        assert_eq!(seats.promote(), 2);
        assert_eq!((seats.confirmed(), seats.waitlisted()), (3, 1));
        assert_eq!(seats.promote(), 0);
    }
}
