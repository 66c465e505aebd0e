use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The life cycle of an event: `draft` -> `published` -> `closed` -> `completed`, and
/// `cancelled` from any state before `completed`. A closed event may be re-opened
/// (`closed` -> `published`) when seats free up or the window is extended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    Draft,
    Published,
    Closed,
    Completed,
    Cancelled,
}

impl EventStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EventStatus::Draft => "draft",
            EventStatus::Published => "published",
            EventStatus::Closed => "closed",
            EventStatus::Completed => "completed",
            EventStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Some(match raw {
            "draft" => EventStatus::Draft,
            "published" => EventStatus::Published,
            "closed" => EventStatus::Closed,
            "completed" => EventStatus::Completed,
            "cancelled" => EventStatus::Cancelled,
            _ => return None,
        })
    }

    pub fn can_become(self, next: EventStatus) -> bool {
        use EventStatus::*;
        matches!(
            (self, next),
            (Draft, Published)
                | (Published, Closed)
                | (Closed, Published)
                | (Closed, Completed)
                | (Draft | Published | Closed, Cancelled)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::EventStatus::{self, *};

    const ALL: [EventStatus; 5] = [Draft, Published, Closed, Completed, Cancelled];

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        let allowed: Vec<_> = ALL
            .iter()
            .flat_map(|from| ALL.iter().map(move |to| (*from, *to)))
            .filter(|(from, to)| from.can_become(*to))
            .collect();
        assert_eq!(
            allowed,
            [
                (Draft, Published),
                (Draft, Cancelled),
                (Published, Closed),
                (Published, Cancelled),
                (Closed, Published),
                (Closed, Completed),
                (Closed, Cancelled),
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for status in ALL {
            assert_eq!(EventStatus::parse(status.as_str()), Some(status));
        }
    }
}
