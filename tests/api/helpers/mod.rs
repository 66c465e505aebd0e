//! Everything the API tests share: the app under test and its client, reading answers,
//! fixtures built through the API, the browser-like form client, the loopback SMTP sink and
//! mail parsing, and the fixtures of each behaviour area.
//!
//! The app and reading answers are used by nearly every test and are re-exported here; the
//! rest is named by its module (`helpers::mail::parse`).

mod app;
pub mod cli;
pub mod console;
pub mod events;
pub mod feedback;
pub mod fixtures;
pub mod forms;
pub mod mail;
pub mod networking;
pub mod pages;
pub mod registration;
mod responses;
pub mod smtp_sink;
pub mod speakers;
pub mod talks;
pub mod venues;

pub use app::{TestApp, fresh_database, spawn_app, spawn_app_configured, spawn_app_on};
pub use responses::{error_fields, expect_problem, expect_status, id};
