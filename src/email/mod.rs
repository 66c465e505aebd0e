//! Email: a transactional outbox written with the changes that cause messages, rendered from
//! template files in the registrant's language, and delivered by a worker inside the service
//! through lettre (SMTP, `.eml` files or the log).

pub mod ics;
pub mod messages;
pub mod mime;
pub mod notices;
pub mod outbox;
pub mod reminders;
pub mod routes;
pub mod scheduler;
pub mod settings;
pub mod smtp_pool;
pub mod transport;
pub mod unsubscribe;
pub mod worker;

pub use messages::{Extras, Kind, MailError, MailEvent, registration_message};
pub use outbox::{NewMessage, enqueue, enqueue_many};
pub use routes::configure;
pub use settings::EmailSettings;
