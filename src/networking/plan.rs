//! Changes to a computed schedule, as pure functions: moving a person, seating a late
//! arrival in the rounds not yet played, and re-checking who meets whom again; and the order
//! of the room plan's name index.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::registration::Language;

/// Rounds of tables of participant ids.
pub type Rounds = Vec<Vec<Vec<String>>>;

/// The earlier year two people last met in, keyed by the ordered pair.
pub type History = HashMap<(String, String), i32>;

pub fn pair(a: &str, b: &str) -> (String, String) {
    if a < b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Pairs that share a table again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RepeatCheck {
    /// Pairs seated together more than once in this session, with how often.
    pub within_event: Vec<RepeatedPair>,
    /// Pairs seated together who already met at an earlier event.
    pub earlier_years: Vec<RepeatedPair>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RepeatedPair {
    pub a: String,
    pub b: String,
    /// Times together in this session (within-event repeats) or the year they last met.
    pub value: i32,
}

pub fn check(rounds: &Rounds, history: &History) -> RepeatCheck {
    let mut meetings: BTreeMap<(String, String), i32> = BTreeMap::new();
    for table in rounds.iter().flatten() {
        for (i, a) in table.iter().enumerate() {
            for b in &table[i + 1..] {
                *meetings.entry(pair(a, b)).or_default() += 1;
            }
        }
    }
    let mut result = RepeatCheck::default();
    for ((a, b), times) in meetings {
        if times > 1 {
            result.within_event.push(RepeatedPair {
                a: a.clone(),
                b: b.clone(),
                value: times,
            });
        }
        if let Some(year) = history.get(&(a.clone(), b.clone())) {
            result
                .earlier_years
                .push(RepeatedPair { a, b, value: *year });
        }
    }
    result
}

/// Moves `who` to table `to_table` (0-based) in round `round` (0-based).
pub fn move_person(
    rounds: &mut Rounds,
    round: usize,
    who: &str,
    to_table: usize,
) -> Result<(), String> {
    let tables = rounds.get_mut(round).ok_or("no such round")?;
    if to_table >= tables.len() {
        return Err("no such table".into());
    }
    let from = tables
        .iter()
        .position(|table| table.iter().any(|id| id == who))
        .ok_or("this person is not seated in that round")?;
    if from == to_table {
        return Ok(());
    }
    tables[from].retain(|id| id != who);
    tables[to_table].push(who.to_string());
    Ok(())
}

/// Seats `who` in every round from `first_round` (0-based) on, leaving earlier rounds as
/// they were: at the table where they would meet the fewest people again (in this session,
/// then from earlier years), the smallest such table on a tie.
pub fn seat_late_arrival(
    rounds: &mut Rounds,
    first_round: usize,
    who: &str,
    history: &History,
) -> Result<(), String> {
    if rounds.iter().flatten().flatten().any(|id| id == who) {
        return Err("this person is already seated".into());
    }
    if first_round >= rounds.len() {
        return Err("every round has been played".into());
    }
    let mut met: HashMap<String, i32> = HashMap::new();
    for tables in rounds.iter_mut().skip(first_round) {
        let best = tables
            .iter()
            .enumerate()
            .min_by_key(|(index, table)| {
                let again: i32 = table
                    .iter()
                    .map(|id| met.get(id).copied().unwrap_or(0))
                    .sum();
                let earlier = table
                    .iter()
                    .filter(|id| history.contains_key(&pair(who, id)))
                    .count();
                (again, earlier, table.len(), *index)
            })
            .map(|(index, _)| index)
            .ok_or("a round has no tables")?;
        for id in &tables[best] {
            *met.entry(id.clone()).or_default() += 1;
        }
        tables[best].push(who.to_string());
    }
    Ok(())
}

/// Where one person sits in one round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// 1-based.
    pub round: usize,
    /// 1-based.
    pub table: usize,
    /// The others at that table, in seating order (never the person themself).
    pub mates: Vec<String>,
}

/// The rounds `who` is seated in, with their table and tablemates.
pub fn placements(rounds: &Rounds, who: &str) -> Vec<Placement> {
    rounds
        .iter()
        .enumerate()
        .filter_map(|(round, tables)| {
            tables
                .iter()
                .position(|table| table.iter().any(|id| id == who))
                .map(|table| Placement {
                    round: round + 1,
                    table: table + 1,
                    mates: tables[table]
                        .iter()
                        .filter(|id| *id != who)
                        .cloned()
                        .collect(),
                })
        })
        .collect()
}

/// A short digest of a person's placements: equal exactly when their rounds, tables and
/// tablemates are (the order of the mates at a table does not count).
pub fn fingerprint(placements: &[Placement]) -> String {
    let mut hasher = Sha256::new();
    for placement in placements {
        let mut mates: Vec<&str> = placement.mates.iter().map(String::as_str).collect();
        mates.sort_unstable();
        hasher.update(format!(
            "{}.{}:{};",
            placement.round,
            placement.table,
            mates.join(",")
        ));
    }
    hex::encode(&hasher.finalize()[..8])
}

/// Which alphabet a name starts with, as far as an index cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Hangul,
    Latin,
    Other,
}

fn script(name: &str) -> Script {
    match name.chars().next() {
        Some('\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}') => {
            Script::Hangul
        }
        Some(c) if c.is_alphabetic() && (c.is_ascii() || ('\u{C0}'..='\u{24F}').contains(&c)) => {
            Script::Latin
        }
        _ => Script::Other,
    }
}

/// The key that puts names where a reader of `language` looks for them in an index: names in
/// the reader's own alphabet first (한글 in 가나다 order for Korean, A–Z for English), then
/// the other one, then the rest; case does not count. Hangul syllables are encoded in 가나다
/// order, so their code points sort them; accented Latin letters come after z.
pub fn index_key(name: &str, language: Language) -> (u8, String) {
    let group = match (script(name), language) {
        (Script::Hangul, Language::Ko) | (Script::Latin, Language::En) => 0,
        (Script::Hangul | Script::Latin, _) => 1,
        (Script::Other, _) => 2,
    };
    (group, name.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rounds(text: &[&[&str]]) -> Rounds {
        text.iter()
            .map(|round| {
                round
                    .iter()
                    .map(|table| table.chars().map(|c| c.to_string()).collect())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn check_finds_repeats_in_the_session_and_from_earlier_years() {
        let schedule = rounds(&[&["ab", "cd"], &["ac", "bd"], &["ab", "cd"]]);
        let history = History::from([(pair("d", "b"), 2025)]);
        let found = check(&schedule, &history);
        let within: Vec<_> = found
            .within_event
            .iter()
            .map(|p| (p.a.as_str(), p.b.as_str(), p.value))
            .collect();
        assert_eq!(within, [("a", "b", 2), ("c", "d", 2)]);
        assert_eq!(
            found.earlier_years,
            [RepeatedPair {
                a: "b".into(),
                b: "d".into(),
                value: 2025
            }]
        );
    }

    #[test]
    fn moving_someone_changes_only_that_round() {
        let mut schedule = rounds(&[&["ab", "cd"], &["ac", "bd"]]);
        move_person(&mut schedule, 1, "a", 1).unwrap();
        assert_eq!(schedule, rounds(&[&["ab", "cd"], &["c", "bda"]]));
        assert!(move_person(&mut schedule, 2, "a", 0).is_err());
        assert!(move_person(&mut schedule, 0, "z", 0).is_err());
        assert!(move_person(&mut schedule, 0, "a", 5).is_err());
    }

    #[test]
    fn late_arrivals_join_unplayed_rounds_meeting_new_people() {
        let mut schedule = rounds(&[&["ab", "cd"], &["ac", "bd"], &["ad", "bc"]]);
        let before = schedule[0].clone();
        let history = History::from([(pair("e", "a"), 2025)]);
        seat_late_arrival(&mut schedule, 1, "e", &history).unwrap();
        assert_eq!(schedule[0], before, "played rounds are untouched");
        assert!(
            schedule[1][1].contains(&"e".to_string()),
            "avoids a, whom e met last year"
        );
        let third = schedule[2]
            .iter()
            .find(|t| t.contains(&"e".to_string()))
            .unwrap();
        // Either table repeats one of b, d; the tie goes to the table without a.
        assert!(!third.contains(&"a".to_string()), "{third:?}");
        for round in &schedule[1..] {
            assert_eq!(round.iter().flatten().filter(|id| *id == "e").count(), 1);
        }
        assert!(
            seat_late_arrival(&mut schedule, 1, "e", &history).is_err(),
            "seated once"
        );
        assert!(seat_late_arrival(&mut schedule, 3, "f", &history).is_err());
    }

    #[test]
    fn placements_list_tables_and_mates_without_the_person() {
        let schedule = rounds(&[&["ab", "cd"], &["ac", "bd"], &["cd", "ab"]]);
        let seen = placements(&schedule, "a");
        assert_eq!(
            seen,
            [
                Placement {
                    round: 1,
                    table: 1,
                    mates: vec!["b".into()]
                },
                Placement {
                    round: 2,
                    table: 1,
                    mates: vec!["c".into()]
                },
                Placement {
                    round: 3,
                    table: 2,
                    mates: vec!["b".into()]
                },
            ]
        );
        assert!(placements(&schedule, "z").is_empty());
    }

    #[test]
    fn fingerprints_change_with_tables_and_mates_but_not_their_order() {
        let schedule = rounds(&[&["abc", "de"], &["ad", "bce"]]);
        let a = fingerprint(&placements(&schedule, "a"));
        assert_eq!(a.len(), 16);
        let reordered = rounds(&[&["cba", "de"], &["da", "bce"]]);
        assert_eq!(fingerprint(&placements(&reordered, "a")), a);
        let moved_table = rounds(&[&["de", "abc"], &["ad", "bce"]]);
        assert_ne!(fingerprint(&placements(&moved_table, "a")), a);
        let new_mate = rounds(&[&["abe", "dc"], &["ad", "bce"]]);
        assert_ne!(fingerprint(&placements(&new_mate, "a")), a);
    }

    #[test]
    fn the_index_puts_the_readers_alphabet_first_in_its_own_order() {
        let names = ["bob", "이서연", "Alice", "김민준", "가윤", "7호", "zoe"];
        let sorted = |language| {
            let mut sorted = names.to_vec();
            sorted.sort_by_key(|name| index_key(name, language));
            sorted
        };
        assert_eq!(
            sorted(Language::Ko),
            ["가윤", "김민준", "이서연", "Alice", "bob", "zoe", "7호"]
        );
        assert_eq!(
            sorted(Language::En),
            ["Alice", "bob", "zoe", "가윤", "김민준", "이서연", "7호"]
        );
    }
}
