//! Tests of the whole matching pipeline: every schedule is checked and its report recounted
//! here, independently of the search's own bookkeeping.

use std::collections::{HashMap, HashSet};

use proptest::prelude::*;

use super::cost::CostModel;
use super::search::State;
use super::*;

fn people(n: usize) -> Vec<ParticipantInput> {
    (0..n)
        .map(|i| ParticipantInput {
            id: format!("p{i}"),
            ..ParticipantInput::default()
        })
        .collect()
}

fn input(n: usize, table_size: usize, rounds: usize) -> ProblemInput {
    ProblemInput {
        participants: people(n),
        rounds,
        table_size: Some(table_size),
        max_iterations: Some(20_000),
        ..ProblemInput::default()
    }
}

fn solve_input(input: ProblemInput) -> (Problem, Solution) {
    let problem = Problem::from_input(input).expect("a valid problem");
    let solution = solve(&problem, &NoDeadline);
    check(&problem, &solution);
    (problem, solution)
}

fn pair(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// How often each pair shares a table.
fn meetings(schedule: &Schedule) -> HashMap<(usize, usize), usize> {
    let mut met = HashMap::new();
    for round in &schedule.rounds {
        for table in round {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    *met.entry(pair(a, b)).or_default() += 1;
                }
            }
        }
    }
    met
}

/// The schedule is a balanced partition in every round with hosts at their tables, and the
/// report's counts are those of the schedule.
fn check(problem: &Problem, solution: &Solution) {
    let n = problem.len();
    let schedule = &solution.schedule;
    assert_eq!(schedule.rounds.len(), problem.rounds());
    for round in &schedule.rounds {
        let mut seated: Vec<usize> = round.iter().flatten().copied().collect();
        seated.sort_unstable();
        assert_eq!(
            seated,
            (0..n).collect::<Vec<_>>(),
            "each person sits once per round"
        );
        let sizes: Vec<usize> = round.iter().map(Vec::len).collect();
        assert_eq!(sizes, problem.table_sizes());
        let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
        assert!(max - min <= 1, "sizes differ by at most one: {sizes:?}");
        assert!(*min >= 2, "nobody sits alone: {sizes:?}");
        for (i, p) in problem.participants().iter().enumerate() {
            if let Some(t) = p.host_table {
                assert!(round[t].contains(&i), "host {} keeps table {t}", p.id);
            }
        }
    }

    let met = meetings(schedule);
    let report = &solution.report;
    let history: HashSet<(usize, usize)> =
        problem.history().iter().map(|&(a, b, _)| (a, b)).collect();
    assert_eq!(report.participants, n);
    assert_eq!(report.rounds, problem.rounds());
    assert_eq!(report.tables_per_round, problem.tables());
    assert_eq!(report.repeat_free_round_bound, problem.repeat_free_bound());
    assert_eq!(report.distinct_pairs_met, met.len());
    assert_eq!(
        report.repeats_within_event,
        met.values().map(|c| c - 1).sum::<usize>()
    );
    assert_eq!(
        report.pairs_met_more_than_once,
        met.values().filter(|&&c| c > 1).count()
    );
    assert_eq!(
        report.most_meetings_of_one_pair,
        met.values().copied().max().unwrap_or(0)
    );
    assert_eq!(
        report.repeats_of_earlier_years,
        met.keys().filter(|p| history.contains(p)).count()
    );
    assert_eq!(
        report.must_not_share_violations,
        met.iter()
            .filter(|((a, b), _)| problem.kept_apart(*a, *b))
            .map(|(_, c)| c)
            .sum::<usize>()
    );
    let mut new = vec![0usize; n];
    for &(a, b) in met.keys().filter(|p| !history.contains(p)) {
        new[a] += 1;
        new[b] += 1;
    }
    assert_eq!(report.new_contacts.min, *new.iter().min().unwrap() as f64);
    assert_eq!(report.new_contacts.max, *new.iter().max().unwrap() as f64);
    assert_eq!(
        report.objective.repeat_units,
        met.values()
            .map(|&c| ((c - 1) * (c - 1)) as u64)
            .sum::<u64>()
    );
    // The report's score, recounted from the schedule, is the price the cost model gives it.
    let model = CostModel::new(problem, &solution.mentoring);
    let priced = State::from_rounds(&model, schedule.rounds.clone());
    assert_eq!(report.objective.score, priced.cost());
}

fn random_problem() -> impl Strategy<Value = ProblemInput> {
    (
        2usize..40,
        2usize..7,
        1usize..8,
        any::<u64>(),
        any::<bool>(),
    )
        .prop_flat_map(|(n, size, rounds, seed, by_count)| {
            let pairs = proptest::collection::vec((0..n, 0..n, 2015i32..2027), 0..20);
            let apart = proptest::collection::vec((0..n, 0..n), 0..4);
            let hosts = proptest::collection::vec(0..n, 0..3);
            let tables = 1..=(n / 2).max(1);
            (
                Just((n, size, rounds, seed, by_count)),
                pairs,
                apart,
                hosts,
                tables,
            )
        })
        .prop_map(
            |((n, size, rounds, seed, by_count), history, apart, hosts, tables)| {
                let mut participants = people(n);
                for (i, p) in participants.iter_mut().enumerate() {
                    p.role = Some(if i % 3 == 0 {
                        Role::Student
                    } else {
                        Role::Alumni
                    });
                    p.admission_year = Some(2010 + (i % 4) as i32);
                }
                let table_count = if by_count {
                    tables
                } else {
                    n.div_ceil(size).min(n / 2)
                };
                let mut hosts: Vec<usize> = hosts;
                hosts.sort_unstable();
                hosts.dedup();
                hosts.truncate(table_count);
                for h in hosts {
                    participants[h].host = true;
                }
                let id = |i: usize| format!("p{i}");
                ProblemInput {
                    participants,
                    rounds,
                    table_size: (!by_count).then_some(size),
                    tables: by_count.then_some(tables),
                    history: history
                        .into_iter()
                        .filter(|(a, b, _)| a != b)
                        .map(|(a, b, year)| EncounterInput {
                            a: id(a),
                            b: id(b),
                            year,
                        })
                        .collect(),
                    must_not_share: apart
                        .into_iter()
                        .filter(|(a, b)| a != b)
                        .map(|(a, b)| [id(a), id(b)])
                        .collect(),
                    current_year: Some(2027),
                    seed,
                    max_iterations: Some(300),
                    ..ProblemInput::default()
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Every output is a balanced partition per round, hosts keep their tables, and the report
    /// counts what the schedule shows.
    #[test]
    fn every_schedule_is_valid_and_its_report_true(input in random_problem()) {
        let problem = Problem::from_input(input).expect("the generator writes valid problems");
        let solution = solve(&problem, &NoDeadline);
        check(&problem, &solution);
    }

    /// Within the bound, small instances with room to spare are repeat-free.
    #[test]
    fn easy_instances_are_repeat_free(n in 8usize..60, size in 2usize..5, seed in any::<u64>()) {
        let problem = Problem::from_input(ProblemInput { seed, ..input(n, size, 2) }).unwrap();
        prop_assume!(problem.repeat_free_bound() >= 4);
        let solution = solve(&problem, &NoDeadline);
        check(&problem, &solution);
        prop_assert_eq!(solution.report.repeats_within_event, 0);
    }
}

#[test]
fn thirty_two_people_at_tables_of_four_for_nine_rounds_are_repeat_free() {
    for seed in 0..3 {
        let (_, solution) = solve_input(ProblemInput {
            seed,
            ..input(32, 4, 9)
        });
        assert_eq!(solution.report.repeats_within_event, 0);
        assert_eq!(solution.report.distinct_pairs_met, 9 * 8 * 6);
        assert_eq!(solution.report.stopped_by, Stop::Optimal);
    }
}

#[test]
fn kirkmans_schoolgirls_are_repeat_free() {
    // 15 is no prime power: a base round over Z_7 × 2 + ∞, developed.
    for seed in 0..5 {
        let (_, solution) = solve_input(ProblemInput {
            seed,
            ..input(15, 3, 7)
        });
        assert_eq!(solution.report.method, "developed");
        assert_eq!(solution.report.constructed_rounds, 7);
        assert_eq!(solution.report.repeats_within_event, 0, "seed {seed}");
        assert_eq!(solution.report.distinct_pairs_met, 105);
    }
}

#[test]
fn the_search_alone_reaches_zero_repeats_near_the_bound() {
    // 22 people at tables of 4 and 3: no construction applies (unequal tables).
    for seed in 0..3 {
        let (_, solution) = solve_input(ProblemInput {
            seed,
            ..input(22, 4, 5)
        });
        assert_eq!(solution.report.method, "greedy");
        assert_eq!(solution.report.repeats_within_event, 0, "seed {seed}");
    }
}

#[test]
fn constructions_cover_affine_planes_and_round_robins() {
    for (n, size, rounds, start) in [
        (25, 5, 6, "affine_geometry"),
        (49, 7, 8, "affine_geometry"),
        (16, 4, 5, "affine_geometry"),
        (27, 3, 13, "affine_geometry"),
        (12, 2, 11, "round_robin"),
        (20, 4, 5, "difference_array"),
        (28, 4, 9, "bjl"),
        (40, 4, 13, "bjl"),
        (21, 3, 10, "developed"),
    ] {
        let (_, solution) = solve_input(input(n, size, rounds));
        assert_eq!(solution.report.start, start);
        assert_eq!(solution.report.method, start);
        assert_eq!(solution.report.constructed_rounds, rounds);
        assert_eq!(solution.report.repeats_within_event, 0);
        assert!(solution.report.rounds_within_bound);
    }
}

#[test]
fn thirty_two_people_reach_the_bound_of_ten_rounds() {
    // Rounds fixed by a group: neither the array over GF(8) (9 rounds, and its unmet pairs
    // hold no table of four) nor a partial spread of GF(2)^5 (9) reaches the tenth.
    let (_, solution) = solve_input(input(32, 4, 10));
    assert_eq!(solution.report.start, "invariant_rounds");
    assert_eq!(solution.report.constructed_rounds, 10);
    assert_eq!(solution.report.repeats_within_event, 0);
    assert_eq!(solution.report.stopped_by, Stop::Optimal);
}

#[test]
fn beyond_the_bound_two_layers_meet_every_pair_once_or_twice() {
    // A design meets every pair once; a relabelled second layer adds the rounds beyond the
    // bound, so every pair meets once or twice and the repeats are the lower bound:
    // 15 people at tables of 3 over 10 rounds (Kirkman, 7 rounds): 150 meetings of 105 pairs;
    // 28 people at tables of 4 over 12 rounds (Beth–Jungnickel–Lenz, 9): 504 of 378. A packing
    // whose unmet pairs are a perfect matching works as well when the second layer's first
    // round seats the matched pairs together: 32 people at tables of 4 over 15 rounds (10
    // rounds fixed by a group): 720 meetings of 496 pairs.
    for (n, size, rounds, start, constructed, repeats) in [
        (15, 3, 10, "developed+layered", 7, 45),
        (28, 4, 12, "bjl+layered", 9, 126),
        (32, 4, 15, "invariant_rounds+layered", 10, 224),
    ] {
        let (_, solution) = solve_input(input(n, size, rounds));
        let report = &solution.report;
        assert_eq!(report.start, start);
        assert_eq!(report.constructed_rounds, constructed);
        assert_eq!(report.distinct_pairs_met, n * (n - 1) / 2);
        assert_eq!(report.repeats_within_event, repeats);
        assert_eq!(report.most_meetings_of_one_pair, 2);
        assert_eq!(report.stopped_by, Stop::Optimal);
        let met = meetings(&solution.schedule);
        assert!(met.values().all(|&c| c == 1 || c == 2));
    }
}

#[test]
fn hosts_and_kept_apart_pairs_hold_in_a_construction() {
    // 32 people at tables of 4 for 8 rounds: hosts and kept-apart pairs go to points that
    // never meet, so the construction is kept.
    let mut problem = input(32, 4, 8);
    problem.participants[0].host_table = Some(1);
    problem.participants[1].host_table = Some(2);
    problem.participants[2].host = true;
    problem.must_not_share = vec![
        ["p3".into(), "p4".into()],
        ["p5".into(), "p6".into()],
        ["p3".into(), "p7".into()],
    ];
    problem.max_iterations = Some(0);
    for seed in 0..4 {
        let (problem, solution) = solve_input(ProblemInput {
            seed,
            ..problem.clone()
        });
        let report = &solution.report;
        assert_ne!(report.method, "greedy", "seed {seed}");
        assert_eq!(report.constructed_rounds, 8);
        assert_eq!(report.repeats_within_event, 0);
        assert_eq!(report.must_not_share_violations, 0);
        for round in &solution.schedule.rounds {
            for (i, p) in problem.participants().iter().enumerate() {
                if let Some(t) = p.host_table {
                    assert!(round[t].contains(&i));
                }
            }
        }
    }
}

#[test]
fn more_rounds_than_the_bound_spread_the_repeats() {
    // 9 people at tables of 3: at most 4 repeat-free rounds; 6 rounds force repeats, but
    // nobody meets the same person three times.
    let (_, solution) = solve_input(input(9, 3, 6));
    let report = &solution.report;
    assert!(!report.rounds_within_bound);
    assert_eq!(report.most_meetings_of_one_pair, 2);
    assert_eq!(report.distinct_pairs_met, 36, "everyone meets everyone");
    assert_eq!(report.repeats_within_event, 18);
}

#[test]
fn history_from_an_earlier_year_is_avoided() {
    // Last year 12 people sat in four tables of 3; this year they meet new people.
    let last_year = [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]];
    let mut history = Vec::new();
    for tables in [last_year] {
        for table in tables {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    history.push(EncounterInput {
                        a: format!("p{a}"),
                        b: format!("p{b}"),
                        year: 2026,
                    });
                }
            }
        }
    }
    for seed in 0..3 {
        let (problem, solution) = solve_input(ProblemInput {
            history: history.clone(),
            seed,
            ..input(12, 3, 3)
        });
        assert_eq!(solution.report.repeats_within_event, 0);
        assert_eq!(solution.report.repeats_of_earlier_years, 0, "seed {seed}");
        let met = meetings(&solution.schedule);
        for &(a, b, _) in problem.history() {
            assert!(!met.contains_key(&(a, b)), "p{a} and p{b} met last year");
        }
        assert_eq!(solution.report.new_contacts.min, 6.0);
    }
}

#[test]
fn the_most_recent_history_weighs_most() {
    // Four people at two tables of two, one round: one of the three pairings must repeat an
    // earlier meeting; the oldest one is chosen.
    let history = [("p0", "p1", 2026), ("p2", "p3", 2026), ("p0", "p2", 2019)];
    let history = history
        .into_iter()
        .chain([("p1", "p3", 2019), ("p0", "p3", 2025), ("p1", "p2", 2025)])
        .map(|(a, b, year)| EncounterInput {
            a: a.into(),
            b: b.into(),
            year,
        })
        .collect();
    let (_, solution) = solve_input(ProblemInput {
        history,
        current_year: Some(2027),
        ..input(4, 2, 1)
    });
    let mut tables = solution.schedule.rounds[0].clone();
    tables.sort();
    assert_eq!(tables, vec![vec![0, 2], vec![1, 3]]);
    assert_eq!(
        solution.report.repeats_of_earlier_years_by_year,
        [(2019, 2)].into_iter().collect()
    );
}

#[test]
fn the_same_seed_gives_the_same_schedule() {
    let run = |seed| {
        let mut participants = people(40);
        for (i, p) in participants.iter_mut().enumerate() {
            p.role = Some(if i % 4 == 0 {
                Role::Student
            } else {
                Role::Alumni
            });
            p.interests = vec![["rust", "ml", "web"][i % 3].to_string()];
        }
        solve_input(ProblemInput {
            participants,
            seed,
            max_iterations: Some(3_000),
            ..input(0, 5, 6)
        })
        .1
        .schedule
    };
    assert_eq!(run(7), run(7));
    assert_ne!(run(7), run(8));
}

#[test]
fn hosts_stay_at_their_table() {
    let mut participants = people(24);
    participants[5].host_table = Some(3);
    participants[9].host = true;
    participants[17].host = true;
    let (problem, solution) = solve_input(ProblemInput {
        participants,
        ..input(0, 4, 5)
    });
    for round in &solution.schedule.rounds {
        assert!(round[2].contains(&5));
        assert!(round[0].contains(&9));
        assert!(round[1].contains(&17));
    }
    assert_eq!(problem.participants()[9].host_table, Some(0));
    assert_eq!(solution.report.repeats_within_event, 0);
}

#[test]
fn must_not_share_pairs_never_share() {
    let apart: Vec<[String; 2]> = (0..10)
        .map(|i| [format!("p{i}"), format!("p{}", i + 10)])
        .chain((0..5).map(|i| [format!("p{i}"), format!("p{}", i + 1)]))
        .collect();
    for seed in 0..3 {
        let (problem, solution) = solve_input(ProblemInput {
            must_not_share: apart.clone(),
            seed,
            ..input(20, 4, 4)
        });
        let met = meetings(&solution.schedule);
        for &(a, b) in problem.must_not_share() {
            assert!(!met.contains_key(&(a, b)), "p{a} and p{b} shared a table");
        }
        assert_eq!(solution.report.must_not_share_violations, 0);
    }
}

#[test]
fn the_same_affiliation_never_shares_a_table_when_asked() {
    let mut participants = people(24);
    for (i, p) in participants.iter_mut().enumerate() {
        p.affiliation = Some(["Toss", "Kakao", "Naver", "LINE", "Coupang"][i % 5].into());
    }
    let (problem, solution) = solve_input(ProblemInput {
        participants,
        separate_affiliations: true,
        ..input(0, 4, 4)
    });
    for round in &solution.schedule.rounds {
        for table in round {
            let companies: HashSet<_> = table
                .iter()
                .map(|&i| problem.participants()[i].affiliation.clone())
                .collect();
            assert_eq!(companies.len(), table.len(), "{table:?}");
        }
    }
}

#[test]
fn students_sit_with_alumni() {
    let mut participants = people(24);
    for (i, p) in participants.iter_mut().enumerate() {
        p.role = Some(if i < 8 { Role::Student } else { Role::Alumni });
    }
    let (_, solution) = solve_input(ProblemInput {
        participants,
        ..input(0, 3, 3)
    });
    let report = &solution.report;
    assert_eq!(report.tables_of_students_only, 0);
    assert_eq!(
        report.tables_mixing_students_and_alumni,
        8 * 3,
        "one student per table"
    );
    assert_eq!(report.students_per_table.max, 1.0);
}

#[test]
fn people_meet_the_speakers_they_asked_for() {
    let mut participants = people(24);
    participants[23].host_table = Some(1);
    for p in participants.iter_mut().take(6) {
        p.wanted_speakers = vec!["p23".into()];
    }
    let (_, solution) = solve_input(ProblemInput {
        participants,
        ..input(0, 3, 3)
    });
    assert_eq!(solution.report.wanted_speakers_asked, 6);
    assert_eq!(
        solution.report.wanted_speakers_met, 6,
        "the host meets two people a round"
    );
}

#[test]
fn mentees_sit_with_their_mentor() {
    let mut participants = people(18);
    for (i, p) in participants.iter_mut().enumerate() {
        let topic = ["rust", "ml", "design"][i % 3].to_string();
        p.interests = vec![topic];
        if i < 3 {
            p.goals = vec![GoalInput::Mentor];
            p.mentor_capacity = Some(2);
        } else if i < 9 {
            p.goals = vec![GoalInput::FindMentor];
        }
    }
    let (_, solution) = solve_input(ProblemInput {
        participants,
        ..input(0, 3, 3)
    });
    assert_eq!(solution.mentoring.len(), 6);
    assert!(
        solution
            .mentoring
            .iter()
            .all(|m| m.shared_interests.len() == 1)
    );
    assert_eq!(solution.report.mentoring_pairs_seated, 6);
    assert_eq!(solution.report.mentee_mentor_pairs_met, 6);
}

#[test]
fn a_past_deadline_still_gives_a_valid_schedule() {
    struct Passed;
    impl Deadline for Passed {
        fn passed(&self) -> bool {
            true
        }
    }
    let problem = Problem::from_input(input(30, 4, 6)).unwrap();
    let solution = solve(&problem, &Passed);
    check(&problem, &solution);
    assert_eq!(solution.report.iterations, 0);
}

#[test]
fn large_problems_use_the_sparse_structures() {
    // Beyond 2,048 people meeting counts live in per-person lists, beyond 1,024 pair prices are
    // computed on the fly.
    let mut participants = people(2_100);
    for (i, p) in participants.iter_mut().enumerate() {
        p.role = Some(if i % 2 == 0 {
            Role::Student
        } else {
            Role::Alumni
        });
    }
    let history = (0..200)
        .map(|i| EncounterInput {
            a: format!("p{i}"),
            b: format!("p{}", i + 1),
            year: 2026,
        })
        .collect();
    let (_, solution) = solve_input(ProblemInput {
        participants,
        history,
        max_iterations: Some(200),
        ..input(0, 10, 2)
    });
    assert_eq!(solution.report.repeats_within_event, 0);
    assert_eq!(solution.report.repeats_of_earlier_years, 0);
}

#[test]
fn the_output_names_people_by_id() {
    let problem = Problem::from_json(
        r#"{"participants":[{"id":"a"},{"id":"b"},{"id":"c"},{"id":"d"}],"rounds":3,"table_size":2,"seed":1}"#,
    )
    .unwrap();
    let output = solve(&problem, &NoDeadline).to_output(&problem);
    assert_eq!(output.rounds.len(), 3);
    let mut pairs: Vec<Vec<String>> = output.rounds.iter().flatten().cloned().collect();
    pairs.sort();
    assert_eq!(pairs.len(), 6, "a round robin: every pair once");
    pairs.dedup();
    assert_eq!(pairs.len(), 6);
    let json = serde_json::to_value(&output).unwrap();
    assert_eq!(json["report"]["repeat_free_round_bound"], 3);
    assert_eq!(json["report"]["start"], "round_robin");
}

#[test]
fn a_stop_is_named_as_it_is_serialized() {
    for stop in [
        Stop::Optimal,
        Stop::Settled,
        Stop::Iterations,
        Stop::Deadline,
    ] {
        assert_eq!(serde_json::to_value(stop).unwrap(), stop.as_str());
    }
}

#[test]
fn a_report_stored_before_the_method_was_named_still_reads() {
    let (_, solution) = solve_input(input(12, 3, 2));
    let mut json = serde_json::to_value(&solution.report).unwrap();
    let object = json.as_object_mut().unwrap();
    object.remove("method");
    object.remove("constructed_rounds");
    let report: Report = serde_json::from_value(json).unwrap();
    assert_eq!(report.method, "");
    assert_eq!(report.constructed_rounds, 0);
}
