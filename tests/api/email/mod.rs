//! Email through a real SMTP server on loopback: what registrants are sent, the transactional
//! outbox and the delivery worker's retries and leases, and the mail that runs itself
//! (reminders, and what people hear when the event changes). Time comes from the app's manual
//! clock, which the tests move; nothing sleeps for time to pass.

mod after_a_crash;
mod calendar_identity;
mod decisions;
mod delivery;
mod registration_mail;
mod reminders;
mod tables_mail;
mod tickets;
