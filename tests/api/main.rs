//! Integration tests: each test spawns the real server on a random port against a fresh
//! database (a SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set).
//! What the tests share lives in `helpers`; every other module holds only tests of one
//! behaviour area.

mod helpers;

mod audit;
mod cli;
mod console;
mod email;
mod events;
mod feedback;
mod hardening;
mod infrastructure;
mod metrics;
mod networking;
mod openapi;
mod organizer_races;
mod page_cache;
mod people;
mod public;
mod registration;
mod speakers;
mod stored_values;
mod talks;
mod venues;
mod web;
