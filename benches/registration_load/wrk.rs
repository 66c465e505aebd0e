//! The external load generator: `wrk` in its own process, with a generated Lua script that
//! posts unique registrations (or only counts the answers of GETs) and prints one
//! machine-readable line from its `done()`.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use serde::Deserialize;

use crate::Answers;

/// What wrk sends.
pub enum Target {
    /// `POST path` of `body` (JSON, with `{key}` for a key unique to each request:
    /// `<prefix>-<thread>-<counter>`), and what the 2xx answers say, for the checks.
    Register {
        path: String,
        prefix: String,
        body: String,
    },
    /// `GET path`.
    Get { path: String },
}

/// One wrk run.
pub struct Run {
    /// The output of wrk itself (`--latency`: its latency distribution).
    pub output: String,
    pub elapsed: Duration,
    /// Answers received (wrk's `summary.requests`).
    pub requests: u64,
    pub statuses: BTreeMap<u16, u64>,
    /// Connect, read and write errors, and answers slower than the 10 s timeout.
    pub socket_errors: u64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    /// What the 2xx registration answers said (empty for GETs).
    pub answers: Answers,
    /// CPU seconds wrk used.
    pub cpu_seconds: f64,
}

impl Run {
    pub fn successes(&self) -> u64 {
        self.statuses
            .iter()
            .filter(|(status, _)| (200..300).contains(*status))
            .map(|(_, count)| count)
            .sum()
    }

    pub fn non_2xx(&self) -> u64 {
        self.requests - self.successes()
    }
}

/// The line the script's `done()` prints, after `BENCH_WRK `.
#[derive(Deserialize)]
struct Summary {
    requests: u64,
    duration_us: u64,
    p50_us: u64,
    p99_us: u64,
    max_us: u64,
    statuses: BTreeMap<u16, u64>,
    errors: BTreeMap<String, u64>,
}

/// Installs wrk from Debian's packages when it is missing (saying so).
pub fn ensure_installed() {
    if Command::new("wrk").arg("--version").output().is_ok() {
        return;
    }
    println!("wrk is not installed: installing it with apt-get install -y wrk");
    let installed = Command::new("apt-get")
        .args(["update", "-qq"])
        .status()
        .and_then(|_| {
            Command::new("apt-get")
                .args(["install", "-y", "-qq", "wrk"])
                .status()
        });
    assert!(
        installed.is_ok_and(|status| status.success())
            && Command::new("wrk").arg("--version").output().is_ok(),
        "wrk could not be installed; install it (Debian: apt-get install wrk) and run again"
    );
}

/// Runs wrk against `base_url` for `duration` with `connections` spread over `threads`.
/// Blocking: call it from `spawn_blocking`.
pub fn run(
    base_url: &str,
    target: &Target,
    connections: usize,
    threads: usize,
    duration: Duration,
    dir: &Path,
) -> Run {
    let results = dir.join("wrk-answers.txt");
    let script = dir.join("wrk.lua");
    std::fs::write(&script, lua(target, &results)).expect("the Lua script is written");
    let path = match target {
        Target::Register { path, .. } | Target::Get { path } => path,
    };
    let cpu_before = children_cpu_seconds();
    let output = Command::new("wrk")
        .arg(format!("--threads={}", threads.clamp(1, connections)))
        .arg(format!("--connections={connections}"))
        .arg(format!("--duration={}s", duration.as_secs().max(1)))
        // Slow answers are measured rather than counted as errors.
        .arg("--timeout=10s")
        .arg("--latency")
        .arg(format!("--script={}", script.display()))
        .arg(format!("{base_url}{path}"))
        .output()
        .expect("wrk runs");
    let cpu_seconds = children_cpu_seconds() - cpu_before;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "wrk failed: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: Summary = stdout
        .lines()
        .find_map(|line| line.strip_prefix("BENCH_WRK "))
        .map(|json| serde_json::from_str(json).expect("the script's summary is JSON"))
        .unwrap_or_else(|| panic!("wrk printed no summary line:\n{stdout}"));
    let mut answers = Answers::default();
    if matches!(target, Target::Register { .. }) {
        let text = std::fs::read_to_string(&results).expect("the script wrote its answers");
        for line in text.lines() {
            match line.split_once(' ') {
                Some(("email", email)) => answers.emails.push(email.to_string()),
                Some(("position", position)) => answers
                    .positions
                    .push(position.parse().expect("a waitlist position")),
                Some(("confirmed", count)) => {
                    answers.confirmed = count.parse().expect("a count");
                }
                _ => panic!("unexpected line from the script: {line:?}"),
            }
        }
    }
    let us = Duration::from_micros;
    Run {
        output: stdout
            .lines()
            .filter(|line| !line.starts_with("BENCH_WRK "))
            .collect::<Vec<_>>()
            .join("\n"),
        elapsed: us(summary.duration_us),
        requests: summary.requests,
        statuses: summary.statuses,
        socket_errors: summary.errors.values().sum(),
        p50: us(summary.p50_us),
        p99: us(summary.p99_us),
        max: us(summary.max_us),
        answers,
        cpu_seconds,
    }
}

/// CPU seconds used so far by this process's children that have been waited for (wrk).
fn children_cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let seconds = |time: libc::timeval| time.tv_sec as f64 + time.tv_usec as f64 / 1e6;
    seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// The script: per-thread counts of statuses (and, for registrations, the emails, waitlist
/// positions and confirmations of the 2xx answers), gathered in `done()`, which writes the
/// answers to `results` and prints the summary line.
fn lua(target: &Target, results: &Path) -> String {
    let request = match target {
        // Each thread numbers its own requests; its id comes from setup().
        Target::Register { prefix, body, .. } => format!(
            r#"
local body = [==[{body}]==]
local headers = {{["Content-Type"] = "application/json"}}
function request()
  counter = counter + 1
  local key = string.format("%s-%d-%d", {prefix:?}, id, counter)
  return wrk.format("POST", nil, headers, (string.gsub(body, "{{key}}", key)))
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status >= 200 and status < 300 then
    emails[#emails + 1] = string.match(body, '"email":"([^"]+)"') or "?"
    local position = string.match(body, '"waitlist_position":(%d+)')
    if position then positions[#positions + 1] = position end
    if string.find(body, '"status":"confirmed"', 1, true) then confirmed = confirmed + 1 end
  end
end
"#
        ),
        Target::Get { .. } => r#"
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
"#
        .to_string(),
    };
    format!(
        r#"
local threads = {{}}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  statuses, emails, positions, confirmed, counter = {{}}, {{}}, {{}}, 0, 0
end
{request}
function done(summary, latency, requests)
  local counts, confirmations = {{}}, 0
  local out = assert(io.open({results:?}, "w"))
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do counts[status] = (counts[status] or 0) + n end
    for _, email in ipairs(thread:get("emails")) do out:write("email ", email, "\n") end
    for _, position in ipairs(thread:get("positions")) do out:write("position ", position, "\n") end
    confirmations = confirmations + thread:get("confirmed")
  end
  out:write("confirmed ", confirmations, "\n")
  out:close()
  local histogram = {{}}
  for status, n in pairs(counts) do histogram[#histogram + 1] = string.format('"%d":%d', status, n) end
  local e = summary.errors
  io.write(string.format(
    'BENCH_WRK {{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,"statuses":{{%s}},'
      .. '"errors":{{"connect":%d,"read":%d,"write":%d,"timeout":%d}}}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    table.concat(histogram, ","), e.connect, e.read, e.write, e.timeout))
end
"#,
        results = results.display().to_string(),
    )
}
