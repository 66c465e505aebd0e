//! The organizer console at `/admin`, through its pages and forms as a browser uses them.

mod sign_in;
