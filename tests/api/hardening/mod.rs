//! Bad input from outside: each finding of the hardening review, reproduced and answered.

mod control_characters;
mod email_addresses;
mod idempotency;
mod plan_keys;
mod security_headers;
mod slow_bodies;
mod solver_budget;
mod throttles;
