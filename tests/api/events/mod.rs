//! Events: creation and its defaults, every validation rule, the status life cycle, list
//! filters and pagination, merge patches, re-checking the schedule when an event moves or
//! changes venue, and deletion.

mod creation;
mod deletion;
mod life_cycle;
mod listing;
mod schedule_checks;
mod updates;
mod validation;
