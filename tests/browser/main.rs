//! A real browser on the registration pages: headless Chromium driven over WebDriver
//! (chromedriver) opens the event page in Korean, registers, sends an invalid email, sees the
//! inline error beside the email field with the rest of the input kept, corrects it and
//! reaches the confirmation page.
//!
//! It also opens Swagger UI and a table plan under their Content-Security-Policies, which
//! only a browser enforces, and checks people in at the door with a fake camera playing a
//! ticket's QR code.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them
//! each test prints "skipped: no browser" and passes, so `cargo test` works with only Rust;
//! with `HOMECOMING_REQUIRE_BROWSER=1` (which `.ci/run` sets) a missing browser fails instead.
//! Other binaries can be named with `CHROMIUM` and `CHROMEDRIVER`.

mod harness;
#[allow(dead_code, unused_imports)]
#[path = "../api/helpers/mod.rs"]
mod helpers;

mod audit;
mod console_events;
mod console_network;
mod console_registrations;
mod csp;
mod door;
mod form_token;
mod plan;
mod registration_form;
mod sharing;
mod ticket;
