//! The benchmarks' knobs: `BENCH_*` environment variables, each with a default.

/// The variable's value, or `None` when it is unset or blank.
pub fn optional(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .filter(|value| !value.trim().is_empty())
}

/// The variable's value, or `default` when it is unset or blank.
pub fn string(name: &str, default: &str) -> String {
    optional(name).unwrap_or_else(|| default.to_string())
}

/// The variable as a whole number, or `default` when it is unset or blank; anything else
/// stops the benchmark, naming the variable.
pub fn number(name: &str, default: usize) -> usize {
    optional(name)
        .map(|value| {
            value
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{name} is a number"))
        })
        .unwrap_or(default)
}
