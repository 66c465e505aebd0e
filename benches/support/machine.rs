//! What the benchmarks report about the machine they ran on: cores, load average, CPU time.
//! Linux reads these from /proc; elsewhere the load average is empty and CPU time zero.

/// `"{cores} cores, load average {1 min} {5 min} {15 min}"`: the machine may be shared.
pub fn summary() -> String {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    format!(
        "{cores} cores, load average {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )
}

/// Clock ticks per second of /proc's CPU times.
const TICKS_PER_SECOND: f64 = 100.0;

/// CPU seconds (user + system) so far of the process whose `/proc/<pid>/stat` this is.
fn cpu_seconds_of(stat: &str) -> Option<f64> {
    // utime and stime are fields 14 and 15; the command name before them may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    Some(ticks as f64 / TICKS_PER_SECOND)
}

/// CPU seconds (user + system) so far of the process `/proc/<pid>` describes (`"self"` for
/// this one); zero when it cannot be read.
pub fn process_cpu_seconds(pid: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| cpu_seconds_of(&stat))
        .unwrap_or(0.0)
}
