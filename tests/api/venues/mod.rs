//! Venues and their rooms: create, read, list, merge-patch (including the room list),
//! delete, every validation rule and the conflicts with events and talks that use them.

mod creation_and_reading;
mod deletion;
mod updates;
mod validation;
