//! The rules that keep a schedule consistent, as pure functions over plain data: a talk lies
//! within its event, uses a room of the event's venue, never shares a room with another talk
//! at the same time, and none of its speakers is in two places at once.

use uuid::Uuid;

use crate::domain::TimeRange;

/// A talk as far as the schedule rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub id: Uuid,
    pub title: String,
    pub room_id: Option<Uuid>,
    pub time: TimeRange,
    pub speaker_ids: Vec<Uuid>,
}

/// Where and when an event's talks may be placed.
#[derive(Debug, Clone)]
pub struct Frame<'a> {
    pub time: TimeRange,
    /// Rooms of the event's venue (empty when it has no venue).
    pub room_ids: &'a [Uuid],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conflict {
    /// `talk` does not lie within the event.
    OutsideEvent { talk: (Uuid, String) },
    /// `talk`'s room is not a room of the event's venue.
    RoomNotInVenue { talk: (Uuid, String) },
    /// The candidate uses the room `existing` uses at the same time.
    RoomOverlap { existing: (Uuid, String) },
    /// A speaker of the candidate gives `existing` at the same time.
    SpeakerOverlap {
        existing: (Uuid, String),
        speaker_id: Uuid,
    },
}

impl Slot {
    fn reference(&self) -> (Uuid, String) {
        (self.id, self.title.clone())
    }
}

/// Checks a talk against its event's frame; `others` are every other talk that could collide
/// with it (same event, same room or same speakers, in any event).
pub fn check_talk(frame: &Frame, candidate: &Slot, others: &[Slot]) -> Result<(), Conflict> {
    check_in_frame(frame, candidate)?;
    for other in others.iter().filter(|other| other.id != candidate.id) {
        if !candidate.time.overlaps(&other.time) {
            continue;
        }
        if candidate.room_id.is_some() && candidate.room_id == other.room_id {
            return Err(Conflict::RoomOverlap {
                existing: other.reference(),
            });
        }
        if let Some(speaker_id) = candidate
            .speaker_ids
            .iter()
            .find(|id| other.speaker_ids.contains(id))
        {
            return Err(Conflict::SpeakerOverlap {
                existing: other.reference(),
                speaker_id: *speaker_id,
            });
        }
    }
    Ok(())
}

/// Checks that every talk still fits when the event moves or changes venue.
pub fn check_frame(frame: &Frame, talks: &[Slot]) -> Result<(), Conflict> {
    talks
        .iter()
        .try_for_each(|talk| check_in_frame(frame, talk))
}

fn check_in_frame(frame: &Frame, talk: &Slot) -> Result<(), Conflict> {
    if !frame.time.contains(&talk.time) {
        return Err(Conflict::OutsideEvent {
            talk: talk.reference(),
        });
    }
    if let Some(room_id) = talk.room_id
        && !frame.room_ids.contains(&room_id)
    {
        return Err(Conflict::RoomNotInVenue {
            talk: talk.reference(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn range(from: u32, to: u32) -> TimeRange {
        let at = |h| Utc.with_ymd_and_hms(2026, 5, 16, h, 0, 0).unwrap();
        TimeRange::new(at(from), at(to)).unwrap()
    }

    fn slot(title: &str, room: Option<Uuid>, from: u32, to: u32, speakers: &[Uuid]) -> Slot {
        Slot {
            id: Uuid::now_v7(),
            title: title.into(),
            room_id: room,
            time: range(from, to),
            speaker_ids: speakers.to_vec(),
        }
    }

    #[test]
    fn talk_must_lie_within_the_event() {
        let rooms = [Uuid::now_v7()];
        let frame = Frame {
            time: range(9, 17),
            room_ids: &rooms,
        };
        let early = slot("early", None, 8, 10, &[]);
        assert!(matches!(
            check_talk(&frame, &early, &[]),
            Err(Conflict::OutsideEvent { .. })
        ));
        let whole_day = slot("all day", None, 9, 17, &[]);
        assert_eq!(check_talk(&frame, &whole_day, &[]), Ok(()));
    }

    #[test]
    fn room_must_belong_to_the_venue() {
        let rooms = [Uuid::now_v7()];
        let frame = Frame {
            time: range(9, 17),
            room_ids: &rooms,
        };
        let elsewhere = slot("elsewhere", Some(Uuid::now_v7()), 10, 11, &[]);
        assert!(matches!(
            check_talk(&frame, &elsewhere, &[]),
            Err(Conflict::RoomNotInVenue { .. })
        ));
    }

    #[test]
    fn one_talk_per_room_at_a_time() {
        let room = Uuid::now_v7();
        let rooms = [room, Uuid::now_v7()];
        let frame = Frame {
            time: range(9, 17),
            room_ids: &rooms,
        };
        let keynote = slot("keynote", Some(room), 10, 12, &[]);
        let clash = slot("clash", Some(room), 11, 13, &[]);
        let err = check_talk(&frame, &clash, std::slice::from_ref(&keynote)).unwrap_err();
        assert_eq!(
            err,
            Conflict::RoomOverlap {
                existing: (keynote.id, "keynote".into())
            }
        );
        let next = slot("next", Some(room), 12, 13, &[]);
        assert_eq!(
            check_talk(&frame, &next, std::slice::from_ref(&keynote)),
            Ok(())
        );
        let other_room = slot("parallel", Some(rooms[1]), 10, 12, &[]);
        assert_eq!(check_talk(&frame, &other_room, &[keynote]), Ok(()));
    }

    #[test]
    fn a_speaker_is_in_one_place_at_a_time() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let frame = Frame {
            time: range(9, 17),
            room_ids: &[],
        };
        let panel = slot("panel", None, 10, 11, &[a, b]);
        let solo = slot("solo", None, 10, 11, &[b]);
        let err = check_talk(&frame, &solo, std::slice::from_ref(&panel)).unwrap_err();
        assert_eq!(
            err,
            Conflict::SpeakerOverlap {
                existing: (panel.id, "panel".into()),
                speaker_id: b
            }
        );
        // Updating a talk does not collide with itself.
        assert_eq!(
            check_talk(&frame, &panel, std::slice::from_ref(&panel)),
            Ok(())
        );
    }

    #[test]
    fn moving_the_event_rechecks_every_talk() {
        let room = Uuid::now_v7();
        let talks = [
            slot("morning", Some(room), 9, 10, &[]),
            slot("evening", Some(room), 16, 17, &[]),
        ];
        assert_eq!(
            check_frame(
                &Frame {
                    time: range(9, 17),
                    room_ids: &[room]
                },
                &talks
            ),
            Ok(())
        );
        let shorter = check_frame(
            &Frame {
                time: range(9, 12),
                room_ids: &[room],
            },
            &talks,
        );
        assert_eq!(
            shorter,
            Err(Conflict::OutsideEvent {
                talk: (talks[1].id, "evening".into())
            })
        );
        let new_venue = check_frame(
            &Frame {
                time: range(9, 17),
                room_ids: &[],
            },
            &talks,
        );
        assert_eq!(
            new_venue,
            Err(Conflict::RoomNotInVenue {
                talk: (talks[0].id, "morning".into())
            })
        );
    }
}
