//! Venues and their rooms in the console. Every change goes through the venue store's
//! `update_venue` with the API's `VenueInput` parse: a room is added, renamed or removed by
//! changing the venue's list of rooms, as a PATCH of `rooms` does.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::events::{failed, not_found};
use super::form::{Problems, Reader, filled};
use super::program_words::{ProgramWords, program_words};
use super::{ConsoleForm, ConsolePage, Section, Signed, render, see_other};
use crate::domain::Invalid;
use crate::error::FieldError;
use crate::venues::{
    NewVenue, RoomInput, Venue, VenueError, VenueInput, create_venue, list_venues, load_venue,
    update_venue,
};
use crate::web::form::FormData;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/venues").route(web::get().to(list)))
        .service(
            web::resource("/venues/new")
                .route(web::get().to(new_form))
                .route(web::post().to(create)),
        )
        .service(
            web::resource("/venues/{venue_id}")
                .route(web::get().to(show))
                .route(web::post().to(edit)),
        )
        .service(web::resource("/venues/{venue_id}/rooms").route(web::post().to(add_room)))
        .service(
            web::resource("/venues/{venue_id}/rooms/{room_id}").route(web::post().to(rename_room)),
        )
        .service(
            web::resource("/venues/{venue_id}/rooms/{room_id}/remove")
                .route(web::post().to(remove_room)),
        );
}

fn venue_path(id: Uuid) -> String {
    format!("/admin/venues/{id}")
}

/// The most venues the list shows: a club has a handful.
const LISTED: u64 = 500;

#[derive(Template)]
#[template(path = "console/venues.html")]
struct ListPage {
    page: ConsolePage,
    p: &'static ProgramWords,
    venues: Vec<Venue>,
}

async fn list(req: HttpRequest, signed: Signed, db: web::Data<DatabaseConnection>) -> HttpResponse {
    let p = program_words(signed.lang);
    let page = ConsolePage::new(&req, &signed, p.venues, Section::Venues);
    match list_venues(&db, None, LISTED).await {
        Ok(venues) => render(StatusCode::OK, &ListPage { page, p, venues }),
        Err(error) => failed(page, error),
    }
}

/// A venue's page (or the form of a new one): its fields, and for an existing venue its rooms.
#[derive(Template)]
#[template(path = "console/venue.html")]
struct VenuePage {
    page: ConsolePage,
    p: &'static ProgramWords,
    venue: Option<Venue>,
    form: FormData,
    problems: Problems,
    /// The room form the problems are about: `Some(None)` the new room's.
    room: Option<Option<Uuid>>,
    /// What was typed in that room form.
    room_form: FormData,
}

const FIELDS: &[&str] = &["name", "address", "map_url", "capacity", "notes"];

impl VenuePage {
    fn others(&self) -> Vec<&FieldError> {
        let mut shown = FIELDS.to_vec();
        if self.room.is_some() {
            shown.extend(ROOM_FIELDS);
        }
        // A new venue's rooms are one field; an existing venue's are each their own form.
        if self.venue.is_none() {
            shown.push("rooms");
        }
        self.problems.others(&shown)
    }

    /// The problem of `field` in the room form of `room` (None: the new room's).
    fn room_problem(&self, room: Option<&Uuid>, field: &str) -> Option<&str> {
        (self.room == Some(room.copied()))
            .then(|| self.problems.of_field(field))
            .flatten()
    }

    /// What the room form of `room` shows in `field`: what was typed, after a refusal.
    fn room_value(&self, room: Option<&Uuid>, field: &str, stored: String) -> String {
        if self.room == Some(room.copied()) {
            self.room_form.text(field).to_string()
        } else {
            stored
        }
    }

    fn capacity_text(&self, capacity: &Option<i32>) -> String {
        capacity.map(|c| c.to_string()).unwrap_or_default()
    }
}

const ROOM_FIELDS: [&str; 2] = ["room_name", "room_capacity"];

fn venue_form(venue: &Venue) -> FormData {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    filled(&[
        ("name", venue.name.clone()),
        ("address", venue.address.clone()),
        ("map_url", text(&venue.map_url)),
        (
            "capacity",
            venue.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("notes", text(&venue.notes)),
    ])
}

/// What a venue page shows besides the stored venue.
struct Shown {
    /// A refused venue form, shown as it was typed.
    form: Option<FormData>,
    problems: Problems,
    room: Option<Option<Uuid>>,
    room_form: FormData,
}

impl Shown {
    fn stored() -> Self {
        Self::venue(None, Problems::none())
    }

    /// A refused room form (`room` None: the new room's), as it was typed.
    fn room(room: Option<Uuid>, typed: &FormData, problems: Problems) -> Self {
        Self {
            form: None,
            problems,
            room: Some(room),
            room_form: typed.clone(),
        }
    }

    fn venue(form: Option<FormData>, problems: Problems) -> Self {
        Self {
            form,
            problems,
            room: None,
            room_form: FormData::default(),
        }
    }
}

async fn venue_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    id: Option<Uuid>,
    shown: Shown,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let venue = match id {
        Some(id) => match load_venue(db, id).await {
            Ok(Some(venue)) => Some(venue),
            Ok(None) => {
                return not_found(ConsolePage::new(req, signed, p.venues, Section::Venues), p);
            }
            Err(error) => {
                return failed(
                    ConsolePage::new(req, signed, p.venues, Section::Venues),
                    error,
                );
            }
        },
        None => None,
    };
    let title = venue
        .as_ref()
        .map_or(p.new_venue.to_string(), |v| v.name.clone());
    let page = ConsolePage::new(req, signed, title, Section::Venues);
    let form = match (shown.form, &venue) {
        (Some(typed), _) => typed,
        (None, Some(venue)) => venue_form(venue),
        (None, None) => FormData::default(),
    };
    render(
        shown.problems.status(),
        &VenuePage {
            page,
            p,
            venue,
            form,
            problems: shown.problems,
            room: shown.room,
            room_form: shown.room_form,
        },
    )
}

async fn new_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    venue_page(&req, &signed, &db, None, Shown::stored()).await
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    venue_page(&req, &signed, &db, Some(*path), Shown::stored()).await
}

/// The venue a submitted form describes, with `rooms`, through the API's parse.
fn read_venue(
    data: &FormData,
    p: &'static ProgramWords,
    rooms: Vec<RoomInput>,
) -> Result<NewVenue, Invalid> {
    let mut r = Reader::new(data, p);
    let input = VenueInput {
        name: r.text("name"),
        address: r.text("address"),
        map_url: r.optional("map_url"),
        capacity: r.number("capacity"),
        notes: r.optional("notes"),
        rooms,
    };
    r.finish(input.parse())
}

async fn create(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
) -> HttpResponse {
    let p = program_words(form.lang());
    // A new venue's rooms are named one a line; capacities are set on the venue's page.
    let rooms = Reader::new(&form.data, p)
        .lines("rooms")
        .into_iter()
        .map(|name| RoomInput {
            id: None,
            name,
            capacity: None,
        })
        .collect();
    let result = match read_venue(&form.data, p, rooms) {
        Ok(new) => create_venue(&db, new).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(venue) => see_other(&venue_path(venue.id)),
        Err(error) => {
            let shown = Shown::venue(Some(form.data.clone()), Problems::of(error));
            venue_page(&req, &form.signed, &db, None, shown).await
        }
    }
}

async fn edit(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let p = program_words(form.lang());
    let result = update_venue(&db, id, |current| read_venue(&form.data, p, current.rooms)).await;
    let shown = |problems| Shown::venue(Some(form.data.clone()), problems);
    answer(&req, &form, &db, id, result, shown).await
}

async fn answer(
    req: &HttpRequest,
    form: &ConsoleForm,
    db: &DatabaseConnection,
    id: Uuid,
    result: Result<Venue, VenueError>,
    shown: impl FnOnce(Problems) -> Shown,
) -> HttpResponse {
    match result {
        Ok(venue) => see_other(&venue_path(venue.id)),
        Err(error) => venue_page(req, &form.signed, db, Some(id), shown(Problems::of(error))).await,
    }
}

/// Puts the problems of the room at `index` of the venue's list under the room form's
/// field names.
fn in_room_form(invalid: Invalid, index: usize) -> Invalid {
    let prefix = format!("rooms[{index}].");
    Invalid(
        invalid
            .0
            .into_iter()
            .map(|mut error| {
                if let Some(field) = error.field.strip_prefix(&prefix) {
                    error.field = format!("room_{field}");
                }
                error
            })
            .collect(),
    )
}

/// Changes the room at `index` of `current` (None: a new room at the end) to what the room
/// form says, and parses the venue as the API would.
fn with_room(
    mut current: VenueInput,
    data: &FormData,
    p: &'static ProgramWords,
    index: Option<usize>,
) -> Result<NewVenue, Invalid> {
    let mut r = Reader::new(data, p);
    let name = r.text("room_name");
    let capacity = r.number("room_capacity");
    let index = match index {
        Some(index) => {
            current.rooms[index].name = name;
            current.rooms[index].capacity = capacity;
            index
        }
        None => {
            current.rooms.push(RoomInput {
                id: None,
                name,
                capacity,
            });
            current.rooms.len() - 1
        }
    };
    r.finish(current.parse())
        .map_err(|invalid| in_room_form(invalid, index))
}

async fn add_room(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let id = path.into_inner();
    let p = program_words(form.lang());
    let result = update_venue(&db, id, |current| with_room(current, &form.data, p, None)).await;
    let shown = |problems| Shown::room(None, &form.data, problems);
    answer(&req, &form, &db, id, result, shown).await
}

async fn rename_room(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (id, room_id) = path.into_inner();
    let p = program_words(form.lang());
    let result = update_venue(&db, id, |current| {
        match current
            .rooms
            .iter()
            .position(|room| room.id == Some(room_id))
        {
            Some(index) => with_room(current, &form.data, p, Some(index)),
            None => Err(Invalid::field("rooms", p.room_gone)),
        }
    })
    .await;
    let shown = |problems| Shown::room(Some(room_id), &form.data, problems);
    answer(&req, &form, &db, id, result, shown).await
}

async fn remove_room(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (id, room_id) = path.into_inner();
    // A room already gone leaves the list as it is: the venue page shows it is gone.
    let result = update_venue(&db, id, |mut current| {
        current.rooms.retain(|room| room.id != Some(room_id));
        current.parse()
    })
    .await;
    let shown = |problems| Shown::venue(None, problems);
    answer(&req, &form, &db, id, result, shown).await
}
