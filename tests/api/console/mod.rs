mod dashboard;
mod feedback;
mod mail;
mod people;
mod registrations;
