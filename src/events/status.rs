//! The life cycle of an event. The states and their transitions are defined with the stored
//! enum (`entity::values::EventStatus`); this module pins the rule down.

pub use entity::values::EventStatus;

#[cfg(test)]
mod tests {
    use super::EventStatus::{self, *};

    #[test]
    fn only_the_documented_transitions_are_allowed() {
        let all = EventStatus::ALL;
        let allowed: Vec<_> = all
            .iter()
            .flat_map(|from| all.iter().map(move |to| (*from, *to)))
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
        for &status in EventStatus::ALL {
            assert_eq!(EventStatus::parse(status.as_str()), Some(status));
        }
    }
}
