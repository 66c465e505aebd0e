//! homecoming: the service that runs the 1&N alumni homecoming.
//!
//! `startup::Application` builds the HTTP server on any listener, so the binary and the tests
//! run the same app. Each capability lives in its own module with thin routes over plain
//! functions and domain types.

pub mod audit;
pub mod auth;
pub mod catch_panic;
pub mod cli;
pub mod clock;
pub mod configuration;
pub mod console;
pub mod csv_download;
pub mod db;
pub mod demo;
pub mod domain;
pub mod door;
pub mod email;
pub mod error;
pub mod events;
pub mod extract;
pub mod feedback;
pub mod health;
pub mod ics;
pub mod input_guard;
pub mod matching;
pub mod metrics;
pub mod networking;
pub mod openapi;
pub mod organizers;
pub mod page_cache;
pub mod people;
pub mod public;
pub mod registration;
pub mod secrets;
pub mod security_headers;
pub mod speakers;
pub mod startup;
pub mod talks;
pub mod telemetry;
pub mod throttle;
pub mod time_words;
pub mod venues;
pub mod web;
