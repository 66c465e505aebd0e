//! Networking tables: several rounds of small tables where everyone meets as many new people
//! as possible (the Social Golfer Problem plus soft preferences). Pure: no database, no HTTP,
//! no clock; the only way time enters is a [`Deadline`] handed in by the caller.
//!
//! The objective, in this order (each level outweighs everything one swap can change at the
//! levels below):
//!
//! 0. pairs that must not share a table never do (`must_not_share`, `separate_affiliations`);
//! 1. no pair shares a table twice within the event; when more rounds are asked for than can
//!    be repeat-free, a pair that meets `c` times costs `(c - 1)²`, so repeats spread out;
//! 2. few pairs who met at earlier events, the most recent year weighing most;
//! 3. good tables: students with alumni, several cohorts, mentees with mentors who share their
//!    interests, job seekers with hiring alumni, people with the speakers they asked for;
//! 4. table sizes differ by at most one and nobody sits alone: this holds by construction.
//!
//! How: a design construction where one applies (`designs/`: round robin, affine geometries,
//! binary spreads, difference arrays, rounds fixed by a group and developed base rounds found
//! by exact covers, the Beth–Jungnickel–Lenz designs; layered copies beyond the bound), with people assigned to
//! its points so that hosts and kept-apart pairs hold, relabelled to lower the history and
//! quality costs, with any rounds beyond it seated greedily; otherwise a greedy start. Then a
//! tabu search over swaps of two people of one round (see `search.rs`). Runs are deterministic
//! for a seed when bounded by iterations; a wall-clock budget may stop earlier on a slower
//! machine, and so give a
//! different (still valid) schedule.

mod cost;
mod designs;
mod input;
mod mentoring;
mod report;
mod search;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub use input::{
    EncounterInput, GoalInput, ParticipantInput, ProblemError, ProblemInput, WeightsInput,
};
pub use mentoring::{MentorPair, assign_mentors};
pub use report::{Figures, Objective, Report};

/// A checked matching problem: built only by [`Problem::from_json`] / [`Problem::from_input`].
#[derive(Debug, Clone)]
pub struct Problem {
    participants: Vec<Participant>,
    rounds: usize,
    /// Seats per table, the same every round; sizes differ by at most one, none is below 2.
    table_sizes: Vec<usize>,
    /// `(a, b, year)` with `a < b`, one entry per pair and year.
    history: Vec<(usize, usize, i32)>,
    current_year: i32,
    /// `(a, b)` with `a < b`.
    must_not_share: Vec<(usize, usize)>,
    separate_affiliations: bool,
    weights: Weights,
    seed: u64,
    time_limit: Duration,
    max_iterations: Option<u64>,
}

#[derive(Debug, Clone)]
pub struct Participant {
    pub id: String,
    pub role: Option<Role>,
    pub admission_year: Option<i32>,
    /// Trimmed; `None` when blank.
    pub affiliation: Option<String>,
    /// Lower-cased, sorted, without duplicates.
    pub interests: Vec<String>,
    pub goals: Goals,
    /// Participant indices.
    pub wanted_speakers: Vec<usize>,
    /// 0-based table kept in every round.
    pub host_table: Option<usize>,
    pub mentor_capacity: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Student,
    Alumni,
    Guest,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Goals {
    pub find_mentor: bool,
    pub mentor: bool,
    pub hiring: bool,
    pub job_seeking: bool,
}

/// Points of the table-quality level, each 0 to 100, for one pair sharing a table once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Weights {
    /// A student and an alumnus at one table.
    pub mix: u32,
    /// Penalty for two people of the same admission year at one table.
    pub cohorts: u32,
    /// A mentee and a mentor at one table, per shared interest (up to 3); the pair chosen by
    /// [`assign_mentors`] counts 3 more.
    pub mentoring: u32,
    /// A job seeker and someone hiring at one table.
    pub hiring: u32,
    /// Someone and a speaker they asked to meet at one table.
    pub speakers: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            mix: 20,
            cohorts: 5,
            mentoring: 30,
            hiring: 30,
            speakers: 50,
        }
    }
}

impl Problem {
    pub fn participants(&self) -> &[Participant] {
        &self.participants
    }

    pub fn len(&self) -> usize {
        self.participants.len()
    }

    /// Never true: a problem has at least two participants.
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty()
    }

    pub fn rounds(&self) -> usize {
        self.rounds
    }

    pub fn tables(&self) -> usize {
        self.table_sizes.len()
    }

    pub fn table_sizes(&self) -> &[usize] {
        &self.table_sizes
    }

    /// The largest table.
    pub fn table_size(&self) -> usize {
        self.table_sizes[0]
    }

    /// At most this many rounds can be repeat-free: floor((n - 1) / (s - 1)).
    pub fn repeat_free_bound(&self) -> usize {
        (self.len() - 1) / (self.table_size() - 1)
    }

    pub fn history(&self) -> &[(usize, usize, i32)] {
        &self.history
    }

    pub fn current_year(&self) -> i32 {
        self.current_year
    }

    pub fn must_not_share(&self) -> &[(usize, usize)] {
        &self.must_not_share
    }

    pub fn separate_affiliations(&self) -> bool {
        self.separate_affiliations
    }

    pub fn weights(&self) -> Weights {
        self.weights
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn time_limit(&self) -> Duration {
        self.time_limit
    }

    pub fn max_iterations(&self) -> Option<u64> {
        self.max_iterations
    }

    /// The same problem with another iteration budget (tests and benchmarks).
    pub fn with_max_iterations(mut self, max_iterations: Option<u64>) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// The same problem with another seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Whether `a` and `b` must never share a table.
    pub fn kept_apart(&self, a: usize, b: usize) -> bool {
        let (x, y) = (a.min(b), a.max(b));
        if self.must_not_share.binary_search(&(x, y)).is_ok() {
            return true;
        }
        self.separate_affiliations
            && self.participants[a].affiliation.is_some()
            && self.participants[a].affiliation == self.participants[b].affiliation
    }
}

/// Rounds of tables of participant indices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub rounds: Vec<Vec<Vec<usize>>>,
}

/// How the search ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stop {
    /// Nothing better exists (the cost reached a proven lower bound).
    Optimal,
    /// No improvement of the table quality for a long while, with nothing left to repair.
    Settled,
    /// The iteration budget ran out.
    Iterations,
    /// The deadline passed.
    Deadline,
}

impl Stop {
    /// The serialized spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Stop::Optimal => "optimal",
            Stop::Settled => "settled",
            Stop::Iterations => "iterations",
            Stop::Deadline => "deadline",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Solution {
    pub schedule: Schedule,
    pub report: Report,
    pub mentoring: Vec<MentorPair>,
}

/// The JSON answer: `rounds` of tables of ids, the report and the mentoring pairs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Output {
    pub rounds: Vec<Vec<Vec<String>>>,
    pub report: Report,
    pub mentoring: Vec<MentorPairOutput>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MentorPairOutput {
    pub mentee: String,
    pub mentor: String,
    pub shared_interests: Vec<String>,
}

impl Solution {
    pub fn to_output(&self, problem: &Problem) -> Output {
        let id = |i: usize| problem.participants[i].id.clone();
        Output {
            rounds: self
                .schedule
                .rounds
                .iter()
                .map(|round| {
                    round
                        .iter()
                        .map(|table| table.iter().map(|&i| id(i)).collect())
                        .collect()
                })
                .collect(),
            report: self.report.clone(),
            mentoring: self
                .mentoring
                .iter()
                .map(|pair| MentorPairOutput {
                    mentee: id(pair.mentee),
                    mentor: id(pair.mentor),
                    shared_interests: pair.shared_interests.clone(),
                })
                .collect(),
        }
    }
}

/// When the search must stop; checked before every step.
pub trait Deadline {
    fn passed(&self) -> bool;
}

/// Never passes: the run is bounded by its iteration budget (or ends when settled).
pub struct NoDeadline;

impl Deadline for NoDeadline {
    fn passed(&self) -> bool {
        false
    }
}

/// A wall-clock deadline: the one place the clock is read.
pub struct WallClock(pub Instant);

impl WallClock {
    pub fn after(budget: Duration) -> Self {
        WallClock(Instant::now() + budget)
    }
}

impl Deadline for WallClock {
    fn passed(&self) -> bool {
        Instant::now() >= self.0
    }
}

/// Solves within the problem's own budget: its `time_limit_ms` on the wall clock and its
/// `max_iterations`, whichever ends first.
pub fn solve_within_time_limit(problem: &Problem) -> Solution {
    solve(problem, &WallClock::after(problem.time_limit))
}

/// Solves `problem`, deterministic for its seed as long as `deadline` does not pass.
pub fn solve(problem: &Problem, deadline: &dyn Deadline) -> Solution {
    let mut rng = ChaCha8Rng::seed_from_u64(problem.seed);
    let mentoring = assign_mentors(problem);
    let model = cost::CostModel::new(problem, &mentoring);
    // The construction runs once (its searches can take a while); restarts seat its rounds
    // afresh.
    let constructed = designs::construct(problem, &mut rng, deadline);
    let start = |rng: &mut ChaCha8Rng| match &constructed {
        Some(start) => {
            let built = start.rounds.len();
            let mut state = search::State::from_rounds(&model, start.rounds.clone());
            if built < problem.rounds {
                state = search::greedy_from(state, built, rng);
            }
            search::relabel(&mut state, rng);
            let method = if built < problem.rounds {
                format!("{}+greedy", start.method)
            } else {
                start.method.clone()
            };
            (state, method)
        }
        None => (search::greedy(&model, rng), "greedy".to_string()),
    };
    let (state, method) = start(&mut rng);
    let outcome = search::improve(
        state,
        |rng| start(rng).0,
        problem.max_iterations,
        deadline,
        &mut rng,
    );
    let schedule = outcome.schedule;
    let report = report::build(
        problem,
        &schedule,
        &mentoring,
        &method,
        constructed.as_ref().map_or(0, |start| start.constructed),
        outcome.stats,
    );
    Solution {
        schedule,
        report,
        mentoring,
    }
}

/// `homecoming match [FILE]`: reads the problem from FILE or stdin, prints the schedule as
/// JSON on stdout. Bad input is a message on stderr and exit code 2.
pub fn run_cli(path: Option<&Path>) -> ExitCode {
    let text = match path {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display())),
        None => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .map(|_| text)
                .map_err(|e| format!("cannot read the problem from stdin: {e}"))
        }
    };
    let problem = match text.and_then(|text| Problem::from_json(&text).map_err(|e| e.to_string())) {
        Ok(problem) => problem,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let solution = solve_within_time_limit(&problem);
    match serde_json::to_string_pretty(&solution.to_output(&problem)) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
