//! The registration form, for a new registration and the manage page's "change your
//! answers" (where only the email differs: read-only there). `values` reads a submitted body
//! into a `RegistrationInput`; `view` lays out the fields, with their inline errors, for the
//! templates.

mod values;
mod view;

pub use values::{FormData, HONEYPOT, with_rule_errors};
pub use view::{FormOptions, FormView, SpeakerChoice, localize};
