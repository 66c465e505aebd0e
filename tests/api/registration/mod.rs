//! The registration API: seats and waitlist, duplicates, windows, approval, idempotency,
//! check-in, stats, custom questions and the CSV export, and seats under concurrency.

mod admission;
mod concurrency;
mod links;
mod organizers;
mod questions;
mod seats;
