//! The HTML pages against the real server: the event page, the registration form (with its
//! CSRF token, honeypot and rate limit) and the personal manage page.

mod door_qr;
mod event_page;
mod form_fixes;
mod form_protection;
mod manage_page;
mod registration_form;
mod sharing;
mod ticket;
