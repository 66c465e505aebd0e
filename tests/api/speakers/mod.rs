//! Speakers: create, read, merge-patch, list with name and tag filters and pagination,
//! delete, every validation rule and the conflict with the talks they give.

mod creation_and_reading;
mod deletion;
mod listing;
mod updates;
mod validation;
