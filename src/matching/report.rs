//! The quality report, recounted from the finished schedule alone (not from the search's
//! running totals), so it is true whatever the search did.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::cost::{
    APART, ASSIGNED_MENTOR_FACTOR, MAX_SHARED_INTERESTS, REPEAT, history_weight, repeat_units,
};
use super::search::Stats;
use super::{MentorPair, Problem, Role, Schedule, Stop};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub participants: usize,
    pub rounds: usize,
    pub tables_per_round: usize,
    pub smallest_table: usize,
    pub largest_table: usize,
    /// floor((n − 1) / (s − 1)) for the largest table size s: more rounds cannot all be
    /// repeat-free.
    pub repeat_free_round_bound: usize,
    pub rounds_within_bound: bool,
    /// Pairs who shared a table at least once.
    pub distinct_pairs_met: usize,
    /// Meetings beyond the first, summed over pairs (0 when nobody meets anyone twice).
    pub repeats_within_event: usize,
    pub pairs_met_more_than_once: usize,
    pub most_meetings_of_one_pair: usize,
    /// Pairs who met at an earlier event and share a table again.
    pub repeats_of_earlier_years: usize,
    /// The same, by the year of their latest earlier meeting.
    pub repeats_of_earlier_years_by_year: BTreeMap<i32, usize>,
    /// Meetings of pairs that must not share a table (0 unless impossible to avoid).
    pub must_not_share_violations: usize,
    /// People met during the event whom one had not met before (per person).
    pub new_contacts: Figures,
    pub students_per_table: Figures,
    pub alumni_per_table: Figures,
    pub cohorts_per_table: Figures,
    /// Tables (over all rounds) with at least one student and one alumnus.
    pub tables_mixing_students_and_alumni: usize,
    /// Tables (over all rounds) with students but no alumnus.
    pub tables_of_students_only: usize,
    /// Distinct mentee–mentor pairs sharing an interest who shared a table.
    pub mentee_mentor_pairs_met: usize,
    /// Distinct job seeker–hiring pairs who shared a table.
    pub job_seeker_hiring_pairs_met: usize,
    pub wanted_speakers_asked: usize,
    pub wanted_speakers_met: usize,
    /// Pairs chosen by the mentoring assignment who shared a table.
    pub mentoring_pairs_seated: usize,
    pub objective: Objective,
    /// How the search started: the construction's `method`, with `+layered` (beyond the
    /// bound), `+exact_last_round` or `+greedy` (rounds seated greedily after it), or `greedy`.
    pub start: String,
    /// The construction family used (`round_robin`, `affine_geometry`, `binary_spread`,
    /// `bjl`, `difference_array`, `invariant_rounds`, `developed`), or `greedy` when none
    /// applied. Reports stored
    /// before it existed read as empty.
    #[serde(default)]
    pub method: String,
    /// Repeat-free rounds the construction gave (0 without one, and in older stored reports).
    #[serde(default)]
    pub constructed_rounds: usize,
    pub iterations: u64,
    pub stopped_by: Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    pub min: f64,
    pub mean: f64,
    pub max: f64,
}

impl Figures {
    fn of(values: impl IntoIterator<Item = usize>) -> Figures {
        let (mut min, mut max, mut sum, mut count) = (usize::MAX, 0, 0, 0);
        for v in values {
            min = min.min(v);
            max = max.max(v);
            sum += v;
            count += 1;
        }
        if count == 0 {
            return Figures {
                min: 0.0,
                mean: 0.0,
                max: 0.0,
            };
        }
        Figures {
            min: min as f64,
            mean: (sum as f64 / count as f64 * 100.0).round() / 100.0,
            max: max as f64,
        }
    }
}

/// The objective by level (lower is better), and the total price the search minimised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    /// Meetings of pairs kept apart.
    pub kept_apart: u64,
    /// Σ (c − 1)² over pairs meeting c ≥ 1 times.
    pub repeat_units: u64,
    /// History price: each meeting of a pair that met before costs 10,000,000 for the latest
    /// earlier year, half for each year before, at least 100,000.
    pub history: i64,
    /// Table-quality points (negative is good).
    pub quality: i64,
    /// kept_apart·10^15 + repeat_units·10^11 + history + quality.
    pub score: i128,
}

pub(crate) fn build(
    problem: &Problem,
    schedule: &Schedule,
    mentoring: &[MentorPair],
    start: &str,
    constructed_rounds: usize,
    stats: Stats,
) -> Report {
    let n = problem.len();
    let people = problem.participants();
    let weights = problem.weights();
    let mut met: HashMap<(usize, usize), u64> = HashMap::new();
    let mut students = Vec::new();
    let mut alumni = Vec::new();
    let mut cohorts = Vec::new();
    for round in &schedule.rounds {
        for table in round {
            for (i, &a) in table.iter().enumerate() {
                for &b in &table[i + 1..] {
                    *met.entry((a.min(b), a.max(b))).or_default() += 1;
                }
            }
            let count = |role| {
                table
                    .iter()
                    .filter(|&&x| people[x].role == Some(role))
                    .count()
            };
            students.push(count(Role::Student));
            alumni.push(count(Role::Alumni));
            cohorts.push(
                table
                    .iter()
                    .filter_map(|&x| people[x].admission_year)
                    .collect::<HashSet<_>>()
                    .len(),
            );
        }
    }

    let mut latest_year: HashMap<(usize, usize), i32> = HashMap::new();
    let mut history_price: HashMap<(usize, usize), i64> = HashMap::new();
    for &(a, b, year) in problem.history() {
        let latest = latest_year.entry((a, b)).or_insert(year);
        *latest = (*latest).max(year);
        *history_price.entry((a, b)).or_default() += history_weight(problem.current_year(), year);
    }
    let assigned: HashSet<(usize, usize)> = mentoring
        .iter()
        .map(|m| (m.mentee.min(m.mentor), m.mentee.max(m.mentor)))
        .collect();

    let mut objective = Objective {
        kept_apart: 0,
        repeat_units: 0,
        history: 0,
        quality: 0,
        score: 0,
    };
    let mut by_year: BTreeMap<i32, usize> = BTreeMap::new();
    let mut new_contacts = vec![0usize; n];
    let (mut repeats, mut more_than_once, mut most) = (0, 0, 0);
    let (mut mentee_mentor, mut hiring, mut speakers_met, mut seated) = (0, 0, 0, 0);
    for (&(a, b), &c) in &met {
        let (pa, pb) = (&people[a], &people[b]);
        repeats += c as usize - 1;
        more_than_once += usize::from(c > 1);
        most = most.max(c as usize);
        objective.repeat_units += repeat_units(c);
        if problem.kept_apart(a, b) {
            objective.kept_apart += c;
        }
        match latest_year.get(&(a, b)) {
            Some(year) => {
                *by_year.entry(*year).or_default() += 1;
                objective.history += c as i64 * history_price[&(a, b)];
            }
            None => {
                new_contacts[a] += 1;
                new_contacts[b] += 1;
            }
        }
        let mut quality = 0i64;
        let crossed =
            |x: Option<Role>, y: Option<Role>| x == Some(Role::Student) && y == Some(Role::Alumni);
        if crossed(pa.role, pb.role) || crossed(pb.role, pa.role) {
            quality -= i64::from(weights.mix);
        }
        if pa.admission_year.is_some() && pa.admission_year == pb.admission_year {
            quality += i64::from(weights.cohorts);
        }
        if (pa.goals.find_mentor && pb.goals.mentor) || (pa.goals.mentor && pb.goals.find_mentor) {
            let shared = pa
                .interests
                .iter()
                .filter(|i| pb.interests.binary_search(i).is_ok())
                .count();
            if shared > 0 {
                mentee_mentor += 1;
            }
            quality -= i64::from(weights.mentoring) * shared.min(MAX_SHARED_INTERESTS) as i64;
        }
        let hires = usize::from(pa.goals.job_seeking && pb.goals.hiring)
            + usize::from(pb.goals.job_seeking && pa.goals.hiring);
        if hires > 0 {
            hiring += 1;
        }
        quality -= i64::from(weights.hiring) * hires as i64;
        let wanted = usize::from(pa.wanted_speakers.contains(&b))
            + usize::from(pb.wanted_speakers.contains(&a));
        speakers_met += wanted;
        quality -= i64::from(weights.speakers) * wanted as i64;
        if assigned.contains(&(a, b)) {
            seated += 1;
            quality -= ASSIGNED_MENTOR_FACTOR * i64::from(weights.mentoring);
        }
        objective.quality += c as i64 * quality;
    }
    objective.score = i128::from(objective.kept_apart) * i128::from(APART)
        + i128::from(objective.repeat_units) * i128::from(REPEAT)
        + i128::from(objective.history)
        + i128::from(objective.quality);

    let has_roles = people.iter().any(|p| p.role.is_some());
    let mixing = students
        .iter()
        .zip(&alumni)
        .filter(|&(&s, &a)| s > 0 && a > 0)
        .count();
    let students_only = students
        .iter()
        .zip(&alumni)
        .filter(|&(&s, &a)| s > 0 && a == 0)
        .count();
    let sizes = problem.table_sizes();
    Report {
        participants: n,
        rounds: problem.rounds(),
        tables_per_round: problem.tables(),
        smallest_table: *sizes.iter().min().expect("at least one table"),
        largest_table: *sizes.iter().max().expect("at least one table"),
        repeat_free_round_bound: problem.repeat_free_bound(),
        rounds_within_bound: problem.rounds() <= problem.repeat_free_bound(),
        distinct_pairs_met: met.len(),
        repeats_within_event: repeats,
        pairs_met_more_than_once: more_than_once,
        most_meetings_of_one_pair: most,
        repeats_of_earlier_years: by_year.values().sum(),
        repeats_of_earlier_years_by_year: by_year,
        must_not_share_violations: objective.kept_apart as usize,
        new_contacts: Figures::of(new_contacts),
        students_per_table: Figures::of(if has_roles { students } else { Vec::new() }),
        alumni_per_table: Figures::of(if has_roles { alumni } else { Vec::new() }),
        cohorts_per_table: Figures::of(cohorts),
        tables_mixing_students_and_alumni: mixing,
        tables_of_students_only: students_only,
        mentee_mentor_pairs_met: mentee_mentor,
        job_seeker_hiring_pairs_met: hiring,
        wanted_speakers_asked: people.iter().map(|p| p.wanted_speakers.len()).sum(),
        wanted_speakers_met: speakers_met,
        mentoring_pairs_seated: seated,
        objective,
        start: start.to_string(),
        method: start.split('+').next().unwrap_or(start).to_string(),
        constructed_rounds,
        iterations: stats.iterations,
        stopped_by: stats.stop,
    }
}
