//! Networking sessions: who is seated, no pair twice, history across years; moves and late
//! arrivals; the room's table plan and the CSV export; and publishing, which mails each
//! attendee their tables and shows them on their manage page.

mod changes;
mod mail;
mod plan;
mod plan_views;
mod session_place;
mod sessions;
