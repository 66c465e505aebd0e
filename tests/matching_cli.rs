//! `homecoming match [FILE]`: the real binary, in an empty folder, without configuration or a
//! database. The problem comes from a file or stdin; the schedule goes to stdout as JSON; bad
//! input is a message on stderr and exit code 2.

use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::{Value, json};

struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    fn new() -> Self {
        Folder {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_homecoming"));
        command
            .arg("match")
            .args(args)
            .current_dir(self.dir.path())
            .env_remove("HOMECOMING_ENV")
            // Settings that would stop any other command: `match` must not read them.
            .env(
                "HOMECOMING__DATABASE__URL",
                "postgres://nobody@127.0.0.1:1/none",
            )
            .env("HOMECOMING__SERVER__PORT", "not-a-port");
        command
    }

    fn run_file(&self, problem: &str) -> Output {
        let path = self.dir.path().join("problem.json");
        std::fs::write(&path, problem).unwrap();
        self.command(&["problem.json"]).output().unwrap()
    }

    fn run_stdin(&self, problem: &str) -> Output {
        let mut child = self
            .command(&[])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(problem.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn schedule(output: &Output) -> Value {
    assert!(output.status.success(), "{}", stderr(output));
    serde_json::from_slice(&output.stdout).expect("stdout holds the JSON schedule alone")
}

/// The smallest full problem: 32 people (two of them, x and y, met in 2024), tables of 4,
/// 9 rounds.
fn minimal_example() -> String {
    let mut participants: Vec<Value> = (0..30).map(|i| json!({ "id": format!("p{i}") })).collect();
    participants.push(json!({ "id": "x" }));
    participants.push(json!({ "id": "y" }));
    json!({
        "participants": participants,
        "rounds": 9,
        "table_size": 4,
        "history": [{ "a": "x", "b": "y", "year": 2024 }],
        "seed": 1,
        "time_limit_ms": 5000
    })
    .to_string()
}

fn assert_repeat_free(schedule: &Value, people: usize, tables: usize, rounds: usize) {
    let rounds_out = schedule["rounds"].as_array().unwrap();
    assert_eq!(rounds_out.len(), rounds);
    let mut pairs = HashSet::new();
    for round in rounds_out {
        let round = round.as_array().unwrap();
        assert_eq!(round.len(), tables);
        let mut seen = HashSet::new();
        for table in round {
            let ids: Vec<&str> = table
                .as_array()
                .unwrap()
                .iter()
                .map(|id| id.as_str().unwrap())
                .collect();
            for (i, a) in ids.iter().enumerate() {
                assert!(seen.insert(*a), "{a} sits twice in one round");
                for b in &ids[i + 1..] {
                    let pair = if a < b { (*a, *b) } else { (*b, *a) };
                    assert!(pairs.insert(pair), "{a} and {b} meet twice");
                }
            }
        }
        assert_eq!(seen.len(), people);
    }
}

#[test]
fn the_minimal_example_from_a_file_is_repeat_free_and_honours_history() {
    let folder = Folder::new();
    let output = folder.run_file(&minimal_example());
    let schedule = schedule(&output);
    assert_repeat_free(&schedule, 32, 8, 9);
    for round in schedule["rounds"].as_array().unwrap() {
        for table in round.as_array().unwrap() {
            let ids: Vec<&str> = table
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert!(
                !(ids.contains(&"x") && ids.contains(&"y")),
                "x and y met in 2024"
            );
        }
    }
    let report = &schedule["report"];
    assert_eq!(report["repeats_within_event"], 0);
    assert_eq!(report["repeats_of_earlier_years"], 0);
    assert_eq!(report["distinct_pairs_met"], 9 * 8 * 6);
    assert_eq!(report["repeat_free_round_bound"], 10);
    assert_eq!(report["rounds_within_bound"], true);
    // 8 tables of 4: the multiplication array over GF(8) and the round that splits its rows.
    assert_eq!(report["method"], "difference_array");
    assert_eq!(report["constructed_rounds"], 9);
    for field in [
        "new_contacts",
        "students_per_table",
        "cohorts_per_table",
        "objective",
        "wanted_speakers_met",
        "mentee_mentor_pairs_met",
        "job_seeker_hiring_pairs_met",
    ] {
        assert!(!report[field].is_null(), "the report has {field}");
    }
    assert!(
        !folder.dir.path().join("data").exists(),
        "match touches no database"
    );
}

#[test]
fn the_problem_can_come_from_stdin_and_the_same_seed_gives_the_same_schedule() {
    let folder = Folder::new();
    let problem = json!({
        "participants": (0..15).map(|i| json!({ "id": format!("girl{i}") })).collect::<Vec<_>>(),
        "rounds": 7,
        "table_size": 3,
        "seed": 3,
        "max_iterations": 100000
    })
    .to_string();
    let first = schedule(&folder.run_stdin(&problem));
    assert_repeat_free(&first, 15, 5, 7);
    assert_eq!(first["report"]["repeats_within_event"], 0);
    // Kirkman's schoolgirls: a developed base round over Z_7 × 2 + ∞.
    assert_eq!(first["report"]["method"], "developed");
    assert_eq!(first["report"]["constructed_rounds"], 7);
    let again = schedule(&folder.run_stdin(&problem));
    assert_eq!(first["rounds"], again["rounds"]);
}

#[test]
fn preferences_and_mentoring_come_back_in_the_output() {
    let folder = Folder::new();
    let problem = json!({
        "participants": [
            { "id": "kim", "role": "alumni", "admission_year": 2012, "affiliation": "Toss",
              "interests": ["backend"], "goals": ["mentor", "hiring"], "host_table": 1 },
            { "id": "lee", "role": "alumni", "admission_year": 2014, "affiliation": "Kakao",
              "interests": ["ml"], "goals": ["mentor"] },
            { "id": "park", "role": "student", "admission_year": 2023, "interests": ["Backend"],
              "goals": ["find_mentor", "job_seeking"], "wanted_speakers": ["kim"] },
            { "id": "choi", "role": "student", "admission_year": 2024, "interests": ["ml"],
              "goals": ["find_mentor"] },
            { "id": "jung", "role": "student", "admission_year": 2023 },
            { "id": "kang", "role": "guest" }
        ],
        "rounds": 2,
        "tables": 2,
        "must_not_share": [["lee", "kim"]],
        "weights": { "speakers": 100 },
        "seed": 5
    })
    .to_string();
    let schedule = schedule(&folder.run_file(&problem));
    for round in schedule["rounds"].as_array().unwrap() {
        assert!(
            round[0].as_array().unwrap().contains(&json!("kim")),
            "kim hosts table 1"
        );
        assert!(!round[0].as_array().unwrap().contains(&json!("lee")));
    }
    let mentoring = schedule["mentoring"].as_array().unwrap();
    assert!(
        mentoring.contains(
            &json!({ "mentee": "park", "mentor": "kim", "shared_interests": ["backend"] })
        )
    );
    assert!(
        mentoring
            .contains(&json!({ "mentee": "choi", "mentor": "lee", "shared_interests": ["ml"] }))
    );
    assert_eq!(schedule["report"]["wanted_speakers_met"], 1);
    assert_eq!(schedule["report"]["must_not_share_violations"], 0);
}

/// `n` participants with ids only.
fn people(n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({ "id": format!("p{i}") }))
        .collect::<Vec<_>>()
}

/// Problems the command refuses, each with what it must say about it.
fn bad_problems() -> [(String, &'static str); 8] {
    [
        (
            json!({ "participants": people(8), "rounds": 3, "table_size": 4,
                    "history": [{ "a": "p1", "b": "nobody", "year": 2024 }] })
            .to_string(),
            "history[0].b names \"nobody\", which is not a participant id",
        ),
        (
            json!({ "participants": people(8), "rounds": 3, "table_size": 1 }).to_string(),
            "table_size must be at least 2 (got 1)",
        ),
        (
            json!({ "participants": [{ "id": "a" }, { "id": "b" }, { "id": "a" }], "rounds": 1, "table_size": 2 })
                .to_string(),
            "the id \"a\" appears more than once in participants",
        ),
        (
            json!({ "participants": [{ "id": "a", "host": true }, { "id": "b", "host": true },
                                     { "id": "c", "host": true }, { "id": "d" }],
                    "rounds": 2, "table_size": 2 })
            .to_string(),
            "there are 3 hosts but only 2 tables; each host needs a table of their own",
        ),
        (
            json!({ "participants": [], "rounds": 2, "table_size": 2 }).to_string(),
            "there are no participants",
        ),
        (
            json!({ "participants": people(4), "rounds": 2 }).to_string(),
            "give table_size or tables",
        ),
        (
            json!({ "participants": people(4), "rounds": 2, "table_size": 2, "colour": "red" })
                .to_string(),
            "unknown field `colour`",
        ),
        ("{ not json".to_string(), "not valid JSON"),
    ]
}

/// Exit code 2, nothing on stdout, and `message` in an `error: ` on stderr.
fn assert_refused_saying(output: &Output, problem: &str, message: &str) {
    assert_eq!(
        output.status.code(),
        Some(2),
        "{problem}: {}",
        stderr(output)
    );
    assert!(output.stdout.is_empty(), "nothing on stdout for {problem}");
    let said = stderr(output);
    assert!(
        said.starts_with("error: ") && said.contains(message),
        "{problem}: {said}"
    );
}

#[test]
fn bad_input_exits_with_2_and_says_why() {
    let folder = Folder::new();
    for (problem, message) in bad_problems() {
        for output in [folder.run_file(&problem), folder.run_stdin(&problem)] {
            assert_refused_saying(&output, &problem, message);
        }
    }
    let missing = folder.command(&["missing.json"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("cannot read missing.json"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn the_report_names_the_method_beyond_the_bound() {
    let folder = Folder::new();
    let problem = json!({
        "participants": (0..15).map(|i| json!({ "id": format!("p{i}") })).collect::<Vec<_>>(),
        "rounds": 10,
        "table_size": 3
    })
    .to_string();
    let schedule = schedule(&folder.run_file(&problem));
    let report = &schedule["report"];
    assert_eq!(report["method"], "developed");
    assert_eq!(report["start"], "developed+layered");
    assert_eq!(report["constructed_rounds"], 7);
    assert_eq!(report["repeat_free_round_bound"], 7);
    assert_eq!(report["repeats_within_event"], 45);
    assert_eq!(report["most_meetings_of_one_pair"], 2);
}

#[test]
fn thirty_two_people_at_tables_of_four_reach_the_bound_and_the_floor_beyond_it() {
    let folder = Folder::new();
    for (rounds, start, repeats) in [
        (10, "invariant_rounds", 0),
        (15, "invariant_rounds+layered", 224),
    ] {
        let problem = json!({
            "participants": (0..32).map(|i| json!({ "id": format!("p{i}") })).collect::<Vec<_>>(),
            "rounds": rounds,
            "table_size": 4,
            "time_limit_ms": 10000
        })
        .to_string();
        let schedule = schedule(&folder.run_file(&problem));
        let report = &schedule["report"];
        // Ten rounds fixed by a group; beyond them a relabelled second layer whose first round
        // seats together the pairs the first never did: every pair meets once or twice.
        assert_eq!(report["method"], "invariant_rounds");
        assert_eq!(report["start"], start);
        assert_eq!(report["constructed_rounds"], 10);
        assert_eq!(report["repeats_within_event"], repeats);
        assert_eq!(
            report["most_meetings_of_one_pair"],
            1 + u64::from(rounds > 10)
        );
        assert_eq!(
            report["distinct_pairs_met"],
            32 * 31 / 2 - if rounds > 10 { 0 } else { 16 }
        );
    }
}

#[test]
fn sixty_people_at_tables_of_five_get_twelve_rounds_from_an_array_over_a_group_that_is_not_a_field()
{
    let folder = Folder::new();
    let problem = json!({
        "participants": (0..60).map(|i| json!({ "id": format!("p{i}") })).collect::<Vec<_>>(),
        "rounds": 12,
        "table_size": 5,
        "seed": 2,
        "time_limit_ms": 60000
    })
    .to_string();
    let schedule = schedule(&folder.run_file(&problem));
    let report = &schedule["report"];
    // 12 has no field and Z_12 no array of 5 rows with all 12 columns; Z_2 × Z_6 has one.
    assert_eq!(report["method"], "difference_array");
    assert_eq!(report["constructed_rounds"], 12);
    assert_eq!(report["repeats_within_event"], 0);
    assert_eq!(report["distinct_pairs_met"], 12 * 60 * 4 / 2);
}
