//! The JSON problem and its parsing into a [`Problem`] that only holds valid values: every id
//! is known and unique, the tables can be balanced without a table of one, hosts fit, and the
//! same-affiliation rule can hold. Each error message is written for the organizer who wrote
//! the file.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{Goals, Participant, Problem, Role, Weights};

/// The largest problem accepted (people, rounds, table size); beyond it the report's squared
/// counts and the search's integer weights would stop being meaningful.
pub const MAX_PARTICIPANTS: usize = 100_000;
pub const MAX_ROUNDS: usize = 500;
pub const MAX_TABLE_SIZE: usize = 100;
pub const MAX_WEIGHT: u32 = 100;
/// Time budget when the input names none.
pub const DEFAULT_TIME_LIMIT_MS: u64 = 2_000;

/// The problem as written in JSON (snake_case). Only `participants`, `rounds` and one of
/// `table_size` / `tables` are required.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemInput {
    pub participants: Vec<ParticipantInput>,
    pub rounds: usize,
    /// Largest table; the number of tables is the fewest that seat everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_size: Option<usize>,
    /// Number of tables, instead of `table_size`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<usize>,
    /// Pairs that shared a table at earlier events.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<EncounterInput>,
    /// The year of this event, for the recency of `history` (default: the latest year in
    /// `history` plus one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_year: Option<i32>,
    /// Pairs that must never share a table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub must_not_share: Vec<[String; 2]>,
    /// People with the same affiliation never share a table.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub separate_affiliations: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<WeightsInput>,
    /// Mentees a mentor takes when the mentor does not say (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_capacity: Option<u32>,
    #[serde(default)]
    pub seed: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_ms: Option<u64>,
    /// Stop after this many search steps (a reproducible budget, whatever the machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_iterations: Option<u64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission_year: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalInput>,
    /// Ids of speakers (participants) this person asked to meet.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wanted_speakers: Vec<String>,
    /// Stays at one table for every round (a speaker hosting a table); the table is chosen
    /// unless `host_table` names it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub host: bool,
    /// 1-based table this host keeps for every round (implies `host`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_table: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentor_capacity: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalInput {
    FindMentor,
    Mentor,
    Hiring,
    JobSeeking,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EncounterInput {
    pub a: String,
    pub b: String,
    pub year: i32,
}

/// Points (0 to 100) of the table-quality level; see [`Weights`].
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsInput {
    pub mix: Option<u32>,
    pub cohorts: Option<u32>,
    pub mentoring: Option<u32>,
    pub hiring: Option<u32>,
    pub speakers: Option<u32>,
}

/// Why a problem was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProblemError {
    #[error("the problem is not valid JSON for a matching problem: {0}")]
    Json(String),
    #[error("there are no participants")]
    NoParticipants,
    #[error("one participant cannot share a table; at least 2 are needed")]
    OneParticipant,
    #[error("there are more than {MAX_PARTICIPANTS} participants")]
    TooManyParticipants,
    #[error("participants[{0}] has an empty id")]
    EmptyId(usize),
    #[error("the id {0:?} appears more than once in participants")]
    DuplicateId(String),
    #[error("{field} names {id:?}, which is not a participant id")]
    UnknownId { field: String, id: String },
    #[error("{field} pairs {id:?} with themself")]
    SelfPair { field: String, id: String },
    #[error("rounds must be at least 1")]
    NoRounds,
    #[error("rounds must be at most {MAX_ROUNDS}")]
    TooManyRounds,
    #[error("give table_size or tables")]
    NoTableShape,
    #[error("give table_size or tables, not both")]
    BothTableShapes,
    #[error("table_size must be at least 2 (got {0})")]
    TableSizeTooSmall(usize),
    #[error("table_size must be at most {MAX_TABLE_SIZE} (got {0})")]
    TableSizeTooLarge(usize),
    #[error("tables must be at least 1")]
    NoTables,
    #[error("{tables} tables for {participants} participants would leave someone alone at a table")]
    TooManyTables { tables: usize, participants: usize },
    #[error(
        "{tables} tables for {participants} participants would need tables of more than {MAX_TABLE_SIZE}"
    )]
    TablesTooLarge { tables: usize, participants: usize },
    #[error(
        "there are {hosts} hosts but only {tables} tables; each host needs a table of their own"
    )]
    TooManyHosts { hosts: usize, tables: usize },
    #[error("participant {id:?} has host_table {table}, but tables are numbered 1 to {tables}")]
    HostTableOutOfRange {
        id: String,
        table: usize,
        tables: usize,
    },
    #[error("participants {first:?} and {second:?} both host table {table}")]
    HostTableTaken {
        first: String,
        second: String,
        table: usize,
    },
    #[error("history year {year} is after current_year {current_year}")]
    HistoryInFuture { year: i32, current_year: i32 },
    #[error("weights.{name} must be between 0 and {MAX_WEIGHT} (got {value})")]
    WeightOutOfRange { name: &'static str, value: u32 },
    #[error(
        "{members} participants share the affiliation {affiliation:?} but there are only {tables} tables, so separate_affiliations cannot hold"
    )]
    AffiliationTooLarge {
        affiliation: String,
        members: usize,
        tables: usize,
    },
}

impl Problem {
    /// Parses a JSON problem; the error names the offending field.
    pub fn from_json(text: &str) -> Result<Problem, ProblemError> {
        let deserializer = &mut serde_json::Deserializer::from_str(text);
        let input: ProblemInput = serde_path_to_error::deserialize(deserializer).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if path == "." || path.is_empty() {
                ProblemError::Json(inner.to_string())
            } else {
                ProblemError::Json(format!("at {path}: {inner}"))
            }
        })?;
        Problem::from_input(input)
    }

    /// Checks an input problem and resolves its ids to indices.
    pub fn from_input(input: ProblemInput) -> Result<Problem, ProblemError> {
        let n = input.participants.len();
        match n {
            0 => return Err(ProblemError::NoParticipants),
            1 => return Err(ProblemError::OneParticipant),
            n if n > MAX_PARTICIPANTS => return Err(ProblemError::TooManyParticipants),
            _ => {}
        }
        let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
        for (i, p) in input.participants.iter().enumerate() {
            if p.id.trim().is_empty() {
                return Err(ProblemError::EmptyId(i));
            }
            if index.insert(p.id.as_str(), i).is_some() {
                return Err(ProblemError::DuplicateId(p.id.clone()));
            }
        }
        let lookup = |field: String, id: &str| -> Result<usize, ProblemError> {
            index
                .get(id)
                .copied()
                .ok_or_else(|| ProblemError::UnknownId {
                    field,
                    id: id.to_string(),
                })
        };

        if input.rounds == 0 {
            return Err(ProblemError::NoRounds);
        }
        if input.rounds > MAX_ROUNDS {
            return Err(ProblemError::TooManyRounds);
        }
        let tables = match (input.table_size, input.tables) {
            (None, None) => return Err(ProblemError::NoTableShape),
            (Some(_), Some(_)) => return Err(ProblemError::BothTableShapes),
            (Some(size), None) => {
                if size < 2 {
                    return Err(ProblemError::TableSizeTooSmall(size));
                }
                if size > MAX_TABLE_SIZE {
                    return Err(ProblemError::TableSizeTooLarge(size));
                }
                // The fewest tables that seat everyone, but never so many that a table is left
                // with one person (tables of 2 with an odd count get one table of 3).
                n.div_ceil(size).min(n / 2)
            }
            (None, Some(tables)) => {
                if tables == 0 {
                    return Err(ProblemError::NoTables);
                }
                if tables > n / 2 {
                    return Err(ProblemError::TooManyTables {
                        tables,
                        participants: n,
                    });
                }
                if n.div_ceil(tables) > MAX_TABLE_SIZE {
                    return Err(ProblemError::TablesTooLarge {
                        tables,
                        participants: n,
                    });
                }
                tables
            }
        };
        let table_sizes: Vec<usize> = (0..tables)
            .map(|t| n / tables + usize::from(t < n % tables))
            .collect();

        // Hosts: the named tables first, then the others on the free tables in input order.
        let hosts = input
            .participants
            .iter()
            .filter(|p| p.host || p.host_table.is_some())
            .count();
        if hosts > tables {
            return Err(ProblemError::TooManyHosts { hosts, tables });
        }
        let mut host_table: Vec<Option<usize>> = vec![None; n];
        let mut taken: Vec<Option<usize>> = vec![None; tables];
        for (i, p) in input.participants.iter().enumerate() {
            if let Some(table) = p.host_table {
                if table == 0 || table > tables {
                    return Err(ProblemError::HostTableOutOfRange {
                        id: p.id.clone(),
                        table,
                        tables,
                    });
                }
                if let Some(other) = taken[table - 1] {
                    return Err(ProblemError::HostTableTaken {
                        first: input.participants[other].id.clone(),
                        second: p.id.clone(),
                        table,
                    });
                }
                taken[table - 1] = Some(i);
                host_table[i] = Some(table - 1);
            }
        }
        let mut free_tables = (0..tables).filter(|&t| taken[t].is_none());
        for (i, p) in input.participants.iter().enumerate() {
            if p.host && p.host_table.is_none() {
                host_table[i] = free_tables.next();
            }
        }

        let mut participants = Vec::with_capacity(n);
        for (i, (p, host_table)) in input.participants.iter().zip(host_table).enumerate() {
            let mut wanted = Vec::with_capacity(p.wanted_speakers.len());
            for (j, id) in p.wanted_speakers.iter().enumerate() {
                let speaker = lookup(format!("participants[{i}].wanted_speakers[{j}]"), id)?;
                if speaker == i {
                    return Err(ProblemError::SelfPair {
                        field: format!("participants[{i}].wanted_speakers[{j}]"),
                        id: id.clone(),
                    });
                }
                if !wanted.contains(&speaker) {
                    wanted.push(speaker);
                }
            }
            let mut interests: Vec<String> = p
                .interests
                .iter()
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
                .collect();
            interests.sort();
            interests.dedup();
            let mut goals = Goals::default();
            for goal in &p.goals {
                match goal {
                    GoalInput::FindMentor => goals.find_mentor = true,
                    GoalInput::Mentor => goals.mentor = true,
                    GoalInput::Hiring => goals.hiring = true,
                    GoalInput::JobSeeking => goals.job_seeking = true,
                }
            }
            let affiliation = p
                .affiliation
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string);
            participants.push(Participant {
                id: p.id.clone(),
                role: p.role,
                admission_year: p.admission_year,
                affiliation,
                interests,
                goals,
                wanted_speakers: wanted,
                host_table,
                mentor_capacity: p.mentor_capacity.or(input.mentor_capacity).unwrap_or(1),
            });
        }

        let current_year = input
            .current_year
            .or_else(|| input.history.iter().map(|e| e.year).max().map(|y| y + 1))
            .unwrap_or(0);
        let mut seen = HashSet::new();
        let mut history = Vec::with_capacity(input.history.len());
        for (i, e) in input.history.iter().enumerate() {
            let a = lookup(format!("history[{i}].a"), &e.a)?;
            let b = lookup(format!("history[{i}].b"), &e.b)?;
            if a == b {
                return Err(ProblemError::SelfPair {
                    field: format!("history[{i}]"),
                    id: e.a.clone(),
                });
            }
            if e.year > current_year {
                return Err(ProblemError::HistoryInFuture {
                    year: e.year,
                    current_year,
                });
            }
            // One fact per pair and event year, however often the file repeats it.
            if seen.insert((a.min(b), a.max(b), e.year)) {
                history.push((a.min(b), a.max(b), e.year));
            }
        }

        let mut must_not_share = Vec::with_capacity(input.must_not_share.len());
        for (i, [a, b]) in input.must_not_share.iter().enumerate() {
            let x = lookup(format!("must_not_share[{i}][0]"), a)?;
            let y = lookup(format!("must_not_share[{i}][1]"), b)?;
            if x == y {
                return Err(ProblemError::SelfPair {
                    field: format!("must_not_share[{i}]"),
                    id: a.clone(),
                });
            }
            must_not_share.push((x.min(y), x.max(y)));
        }
        must_not_share.sort_unstable();
        must_not_share.dedup();

        if input.separate_affiliations {
            let mut members: BTreeMap<&str, usize> = BTreeMap::new();
            for p in &participants {
                if let Some(a) = &p.affiliation {
                    *members.entry(a.as_str()).or_default() += 1;
                }
            }
            if let Some((affiliation, &count)) = members.iter().find(|(_, c)| **c > tables) {
                return Err(ProblemError::AffiliationTooLarge {
                    affiliation: affiliation.to_string(),
                    members: count,
                    tables,
                });
            }
        }

        let w = input.weights.unwrap_or_default();
        let defaults = Weights::default();
        let weight = |name: &'static str, value: Option<u32>, default: u32| match value {
            Some(v) if v > MAX_WEIGHT => Err(ProblemError::WeightOutOfRange { name, value: v }),
            Some(v) => Ok(v),
            None => Ok(default),
        };
        let weights = Weights {
            mix: weight("mix", w.mix, defaults.mix)?,
            cohorts: weight("cohorts", w.cohorts, defaults.cohorts)?,
            mentoring: weight("mentoring", w.mentoring, defaults.mentoring)?,
            hiring: weight("hiring", w.hiring, defaults.hiring)?,
            speakers: weight("speakers", w.speakers, defaults.speakers)?,
        };

        Ok(Problem {
            participants,
            rounds: input.rounds,
            table_sizes,
            history,
            current_year,
            must_not_share,
            separate_affiliations: input.separate_affiliations,
            weights,
            seed: input.seed,
            time_limit: Duration::from_millis(input.time_limit_ms.unwrap_or(DEFAULT_TIME_LIMIT_MS)),
            max_iterations: input.max_iterations,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(n: usize) -> String {
        (0..n)
            .map(|i| format!("{{\"id\":\"p{i}\"}}"))
            .collect::<Vec<_>>()
            .join(",")
    }

    fn parse(body: &str) -> Result<Problem, ProblemError> {
        Problem::from_json(body)
    }

    #[test]
    fn the_minimal_example_parses() {
        let problem = parse(&format!(
            r#"{{"participants":[{}],"rounds":9,"table_size":4,"history":[{{"a":"p0","b":"p1","year":2024}}],"seed":1,"time_limit_ms":5000}}"#,
            people(32)
        ))
        .unwrap();
        assert_eq!(problem.tables(), 8);
        assert_eq!(problem.table_sizes(), &[4; 8]);
        assert_eq!(problem.repeat_free_bound(), 10);
        assert_eq!(problem.current_year, 2025);
        assert_eq!(problem.history, vec![(0, 1, 2024)]);
        assert_eq!(problem.time_limit, Duration::from_millis(5000));
    }

    #[test]
    fn tables_are_balanced_and_never_hold_one_person() {
        let problem = parse(&format!(
            r#"{{"participants":[{}],"rounds":1,"table_size":4}}"#,
            people(10)
        ))
        .unwrap();
        assert_eq!(problem.table_sizes(), &[4, 3, 3]);
        let odd_pairs = parse(&format!(
            r#"{{"participants":[{}],"rounds":1,"table_size":2}}"#,
            people(7)
        ))
        .unwrap();
        assert_eq!(odd_pairs.table_sizes(), &[3, 2, 2]);
        let by_count = parse(&format!(
            r#"{{"participants":[{}],"rounds":1,"tables":3}}"#,
            people(11)
        ))
        .unwrap();
        assert_eq!(by_count.table_sizes(), &[4, 4, 3]);
    }

    #[test]
    fn bad_inputs_are_refused_with_a_clear_message() {
        let cases = [
            (
                format!(
                    r#"{{"participants":[{}],"rounds":2,"table_size":2,"history":[{{"a":"p0","b":"zz","year":2024}}]}}"#,
                    people(4)
                ),
                "history[0].b names \"zz\", which is not a participant id",
            ),
            (
                format!(r#"{{"participants":[{}],"rounds":2,"table_size":1}}"#, people(4)),
                "table_size must be at least 2 (got 1)",
            ),
            (
                r#"{"participants":[{"id":"a"},{"id":"b"},{"id":"a"}],"rounds":2,"table_size":2}"#
                    .to_string(),
                "the id \"a\" appears more than once in participants",
            ),
            (
                r#"{"participants":[{"id":"a","host":true},{"id":"b","host":true},{"id":"c","host":true},{"id":"d"}],"rounds":2,"table_size":2}"#
                    .to_string(),
                "there are 3 hosts but only 2 tables; each host needs a table of their own",
            ),
            (
                r#"{"participants":[],"rounds":2,"table_size":2}"#.to_string(),
                "there are no participants",
            ),
            (
                format!(r#"{{"participants":[{}],"rounds":0,"table_size":2}}"#, people(4)),
                "rounds must be at least 1",
            ),
            (
                format!(r#"{{"participants":[{}],"rounds":1}}"#, people(4)),
                "give table_size or tables",
            ),
            (
                format!(r#"{{"participants":[{}],"rounds":1,"tables":3}}"#, people(4)),
                "3 tables for 4 participants would leave someone alone at a table",
            ),
            (
                format!(
                    r#"{{"participants":[{}],"rounds":1,"table_size":2,"must_not_share":[["p1","p1"]]}}"#,
                    people(4)
                ),
                "must_not_share[0] pairs \"p1\" with themself",
            ),
            (
                r#"{"participants":[{"id":"a","affiliation":"X"},{"id":"b","affiliation":"X"},{"id":"c","affiliation":"X"},{"id":"d"}],"rounds":1,"table_size":2,"separate_affiliations":true}"#
                    .to_string(),
                "3 participants share the affiliation \"X\" but there are only 2 tables, so separate_affiliations cannot hold",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(parse(&body).unwrap_err().to_string(), message, "{body}");
        }
    }

    #[test]
    fn json_errors_name_the_field() {
        let error =
            parse(r#"{"participants":[{"id":"a","rolle":"student"}],"rounds":1,"table_size":2}"#)
                .unwrap_err()
                .to_string();
        assert!(
            error.contains("participants[0]") && error.contains("rolle"),
            "{error}"
        );
        let error =
            parse(r#"{"participants":[{"id":"a","role":"teacher"}],"rounds":1,"table_size":2}"#)
                .unwrap_err()
                .to_string();
        assert!(error.contains("participants[0].role"), "{error}");
    }

    #[test]
    fn hosts_get_distinct_tables_named_ones_first() {
        let problem = parse(
            r#"{"participants":[{"id":"a","host":true},{"id":"b","host_table":1},{"id":"c"},{"id":"d"},{"id":"e"},{"id":"f"}],"rounds":2,"table_size":3}"#,
        )
        .unwrap();
        assert_eq!(problem.participants[0].host_table, Some(1));
        assert_eq!(problem.participants[1].host_table, Some(0));
        let taken = parse(
            r#"{"participants":[{"id":"a","host_table":2},{"id":"b","host_table":2},{"id":"c"},{"id":"d"}],"rounds":2,"table_size":2}"#,
        )
        .unwrap_err();
        assert_eq!(
            taken.to_string(),
            "participants \"a\" and \"b\" both host table 2"
        );
    }
}
