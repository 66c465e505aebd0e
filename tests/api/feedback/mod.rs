//! The feedback survey: the invitation a day after the event, the form behind its link
//! (CSRF, inline errors, changing one's answers) and the organizer's figures year over year;
//! and what unknown links and events get. Time comes from the app's manual clock.

mod survey;
mod unknown_links;
