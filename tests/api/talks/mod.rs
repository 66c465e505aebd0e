//! Talks: the schedule of an event. Creation, every conflict kind (each answered with 409
//! naming the talk concerned), validation, updates, ordering and pagination, and talks seen
//! through the wrong event.

mod changes;
mod conflicts;
mod creation;
mod reading;
mod validation;
