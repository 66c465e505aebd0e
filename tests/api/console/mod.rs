//! The organizer console at `/admin`, through its pages and forms as a browser uses them.

mod dashboard;
mod door;
mod events;
mod feedback;
mod mail;
mod networking;
mod organizers;
mod people;
mod registrations;
mod sign_in;
mod tokens;
