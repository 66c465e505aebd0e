//! Integration tests: each test spawns the real server on a random port against a fresh
//! database (a SQLite file, or a new PostgreSQL database when TEST_DATABASE_URL is set).

mod cli;
mod concurrency;
mod email;
mod events;
mod feedback;
mod forms;
mod helpers;
mod infrastructure;
mod networking;
mod networking_mail;
mod people;
mod public;
mod registration;
mod registration_concurrency;
mod scheduled_mail;
mod smtp_sink;
mod speakers;
mod stored_values;
mod talks;
mod venues;
mod web;
