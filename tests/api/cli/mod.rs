//! The `homecoming` binary: tokens, migrations, configuration errors, the demo, serving and
//! graceful shutdown. Each test runs the real binary in an empty folder against a fresh
//! database.

mod serve;
mod setup;
mod tokens;
