use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    homecoming::cli::run().await
}
