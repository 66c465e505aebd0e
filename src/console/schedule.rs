//! An event's schedule in the console: a grid of rooms × start times (a list by time on a
//! phone) with the form that adds a talk or changes one. Talks are written by the talks
//! store, so a room or speaker conflict is its `Conflict`, in the API's 409 words, shown
//! beside the talk it collides with.

use std::collections::{BTreeMap, HashMap};

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Duration, FixedOffset};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::events::{failed, refused_page, when};
use super::form::{Problems, Reader, filled, local_input};
use super::program_words::{ProgramWords, program_words, talk_kind_name};
use super::{ConsoleForm, ConsolePage, Section, Signed, render, see_other};
use crate::domain::{Invalid, TimeZone};
use crate::error::FieldError;
use crate::events::{Event, EventError, load_event_row};
use crate::speakers::{Speaker, SpeakerFilter, list_speakers};
use crate::talks::{
    NewTalk, Talk, TalkError, TalkInput, TalkKind, create_talk, delete_talk, list_event_talks,
    update_talk,
};
use crate::venues::{Room, load_venue};
use crate::web::form::FormData;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/events/{event_id}/schedule").route(web::get().to(show)))
        .service(web::resource("/events/{event_id}/talks").route(web::post().to(add)))
        .service(
            web::resource("/events/{event_id}/talks/{talk_id}")
                .route(web::get().to(edit_form))
                .route(web::post().to(edit)),
        )
        .service(
            web::resource("/events/{event_id}/talks/{talk_id}/remove")
                .route(web::post().to(remove)),
        );
}

fn schedule_path(event_id: Uuid) -> String {
    format!("/admin/events/{event_id}/schedule")
}

/// The speakers a talk can be given by, all of them: a club's speakers are a few dozen.
const SPEAKER_CHOICES: u64 = 1000;

/// A column of the grid: a room of the venue, or the talks without a room.
struct Column {
    name: String,
}

/// A row of the grid: the talks starting at one time, by column.
struct Row {
    time: String,
    cells: Vec<Vec<Item>>,
}

struct Item {
    talk: Talk,
    time: String,
    kind: &'static str,
    speakers: String,
    /// The API's words for the conflict a refused talk has with this one.
    conflict: Option<String>,
}

#[derive(Template)]
#[template(path = "console/schedule.html")]
struct SchedulePage {
    page: ConsolePage,
    p: &'static ProgramWords,
    event: Event,
    when: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    rooms: Vec<Room>,
    speakers: Vec<Speaker>,
    /// The talk the form changes; None when it adds one.
    editing: Option<Uuid>,
    form: FormData,
    problems: Problems,
}

const FIELDS: &[&str] = &[
    "title",
    "kind",
    "room_id",
    "starts_at",
    "ends_at",
    "speaker_ids",
    "abstract",
    "tags",
];

impl SchedulePage {
    fn others(&self) -> Vec<&FieldError> {
        self.problems.others(FIELDS)
    }

    fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        TalkKind::ALL
            .iter()
            .map(|kind| (kind.as_str(), talk_kind_name(self.p, *kind)))
            .collect()
    }

    fn chosen(&self, field: &str, value: &str) -> bool {
        self.form.all(field).contains(&value)
    }

    fn is_editing(&self, talk_id: &Uuid) -> bool {
        self.editing.as_ref() == Some(talk_id)
    }

    fn form_action(&self) -> String {
        match self.editing {
            Some(talk_id) => format!("/admin/events/{}/talks/{talk_id}", self.event.id),
            None => format!("/admin/events/{}/talks", self.event.id),
        }
    }
}

/// What the page's form shows.
struct Shown {
    editing: Option<Uuid>,
    /// None: a blank form for a new talk.
    form: Option<FormData>,
    problems: Problems,
}

fn zone_of(event: &Event) -> TimeZone {
    TimeZone::parse(&event.time_zone).unwrap_or(TimeZone::SEOUL)
}

async fn schedule_page(
    req: &HttpRequest,
    signed: &Signed,
    db: &DatabaseConnection,
    event_id: Uuid,
    shown: Shown,
) -> HttpResponse {
    let p = program_words(signed.lang);
    let row = match load_event_row(db, event_id).await {
        Ok(row) => row,
        Err(error) => return refused_page(req, signed, error),
    };
    let page = ConsolePage::new(req, signed, p.schedule, Section::Events);
    let loaded = async {
        let talks = list_event_talks(db, &row, None, None).await?;
        let rooms = match row.venue_id {
            Some(venue_id) => load_venue(db, venue_id)
                .await?
                .map(|venue| venue.rooms)
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let all = SpeakerFilter {
            name: None,
            tag: None,
        };
        let speakers = list_speakers(db, &all, None, SPEAKER_CHOICES).await?;
        let event = Event::try_from(row)?;
        Ok::<_, TalkError>((event, talks, rooms, speakers))
    };
    let (event, talks, rooms, speakers) = match loaded.await {
        Ok(loaded) => loaded,
        Err(error) => return failed(page, error),
    };
    let (columns, rows) = grid(p, &event, talks, &rooms, &speakers, &shown.problems);
    let form = shown.form.unwrap_or_else(|| {
        let start = event.starts_at;
        filled(&[
            ("kind", TalkKind::Talk.as_str().to_string()),
            ("starts_at", local_input(start)),
            ("ends_at", local_input(start + Duration::minutes(30))),
        ])
    });
    render(
        shown.problems.status(),
        &SchedulePage {
            page,
            p,
            when: when(&event),
            event,
            columns,
            rows,
            rooms,
            speakers,
            editing: shown.editing,
            form,
            problems: shown.problems,
        },
    )
}

/// Lays the talks out by start time and room. A room column for every room of the venue,
/// and one for talks without a room when there are any.
fn grid(
    p: &'static ProgramWords,
    event: &Event,
    talks: Vec<Talk>,
    rooms: &[Room],
    speakers: &[Speaker],
    problems: &Problems,
) -> (Vec<Column>, Vec<Row>) {
    let names: HashMap<Uuid, &str> = speakers
        .iter()
        .map(|speaker| (speaker.id, speaker.name.as_str()))
        .collect();
    let mut columns: Vec<Column> = rooms
        .iter()
        .map(|room| Column {
            name: room.name.clone(),
        })
        .collect();
    let roomless = rooms.len();
    if talks
        .iter()
        .any(|talk| column_of(rooms, talk.room_id) == roomless)
    {
        columns.push(Column {
            name: p.no_room.to_string(),
        });
    }
    let several_days = event.starts_at.date_naive() != event.ends_at.date_naive();
    let clock = |at: DateTime<FixedOffset>| {
        if several_days {
            at.format("%m-%d %H:%M").to_string()
        } else {
            at.format("%H:%M").to_string()
        }
    };
    let mut by_start: BTreeMap<DateTime<FixedOffset>, Vec<Vec<Item>>> = BTreeMap::new();
    for talk in talks {
        let column = column_of(rooms, talk.room_id);
        let cells = by_start
            .entry(talk.starts_at)
            .or_insert_with(|| (0..columns.len()).map(|_| Vec::new()).collect());
        let speakers = talk
            .speaker_ids
            .iter()
            .filter_map(|id| names.get(id).copied())
            .collect::<Vec<_>>()
            .join(", ");
        cells[column].push(Item {
            time: format!(
                "{}–{}",
                talk.starts_at.format("%H:%M"),
                talk.ends_at.format("%H:%M")
            ),
            kind: talk_kind_name(p, talk.kind),
            speakers,
            conflict: problems
                .collides_with(&talk.id)
                .then(|| problems.detail.clone())
                .flatten(),
            talk,
        });
    }
    let rows = by_start
        .into_iter()
        .map(|(start, cells)| Row {
            time: clock(start),
            cells,
        })
        .collect();
    (columns, rows)
}

/// The column of a talk's room; talks without one (or with a room the venue no longer has)
/// go in the last.
fn column_of(rooms: &[Room], room_id: Option<Uuid>) -> usize {
    room_id
        .and_then(|id| rooms.iter().position(|room| room.id == id))
        .unwrap_or(rooms.len())
}

async fn show(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let shown = Shown {
        editing: None,
        form: None,
        problems: Problems::none(),
    };
    schedule_page(&req, &signed, &db, *path, shown).await
}

async fn edit_form(
    req: HttpRequest,
    signed: Signed,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, talk_id) = path.into_inner();
    let row = match load_event_row(db.get_ref(), event_id).await {
        Ok(row) => row,
        Err(error) => return refused_page(&req, &signed, error),
    };
    let talk = match crate::talks::load_talk(db.get_ref(), &row, talk_id).await {
        Ok(talk) => talk,
        Err(TalkError::NotFound) => return refused_page(&req, &signed, EventError::NotFound),
        Err(error) => {
            let p = program_words(signed.lang);
            return failed(
                ConsolePage::new(&req, &signed, p.schedule, Section::Events),
                error,
            );
        }
    };
    let shown = Shown {
        editing: Some(talk_id),
        form: Some(talk_form(&talk)),
        problems: Problems::none(),
    };
    schedule_page(&req, &signed, &db, event_id, shown).await
}

fn talk_form(talk: &Talk) -> FormData {
    let mut pairs = vec![
        ("title", talk.title.clone()),
        ("kind", talk.kind.as_str().to_string()),
        (
            "room_id",
            talk.room_id.map(|id| id.to_string()).unwrap_or_default(),
        ),
        ("starts_at", local_input(talk.starts_at)),
        ("ends_at", local_input(talk.ends_at)),
        ("abstract", talk.abstract_text.clone().unwrap_or_default()),
        ("tags", talk.tags.join(", ")),
    ];
    pairs.extend(
        talk.speaker_ids
            .iter()
            .map(|id| ("speaker_ids", id.to_string())),
    );
    filled(&pairs)
}

/// The talk a submitted form describes, its times on the event's wall clock, through the
/// API's parse.
fn read_talk(data: &FormData, p: &'static ProgramWords, event: &Event) -> Result<NewTalk, Invalid> {
    let mut r = Reader::new(data, p);
    let zone = zone_of(event);
    let input = TalkInput {
        title: r.text("title"),
        abstract_text: r.optional("abstract"),
        speaker_ids: r.ids("speaker_ids"),
        room_id: r.id("room_id"),
        starts_at: r.required_time("starts_at", zone, event.starts_at),
        ends_at: r.required_time("ends_at", zone, event.ends_at),
        kind: r.choice("kind", TalkKind::parse).unwrap_or_default(),
        tags: r.list("tags"),
    };
    r.finish(input.parse())
}

/// Writes the talk the form describes with `write`; back to the schedule, or the schedule
/// with the form and its problems.
async fn save<F, Fut>(
    req: &HttpRequest,
    form: &ConsoleForm,
    db: &DatabaseConnection,
    (event_id, editing): (Uuid, Option<Uuid>),
    write: F,
) -> HttpResponse
where
    F: FnOnce(NewTalk) -> Fut,
    Fut: std::future::Future<Output = Result<Talk, TalkError>>,
{
    let p = program_words(form.lang());
    let event = match super::events::load_event(db, event_id).await {
        Ok(event) => event,
        Err(error) => return refused_page(req, &form.signed, error),
    };
    let result = match read_talk(&form.data, p, &event) {
        Ok(new) => write(new).await,
        Err(invalid) => Err(invalid.into()),
    };
    match result {
        Ok(_) => see_other(&schedule_path(event_id)),
        Err(error) => {
            let shown = Shown {
                editing,
                form: Some(form.data.clone()),
                problems: Problems::of(error),
            };
            schedule_page(req, &form.signed, db, event_id, shown).await
        }
    }
}

async fn add(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<Uuid>,
) -> HttpResponse {
    let event_id = path.into_inner();
    save(&req, &form, &db, (event_id, None), |new| {
        create_talk(&db, event_id, new)
    })
    .await
}

async fn edit(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, talk_id) = path.into_inner();
    save(&req, &form, &db, (event_id, Some(talk_id)), |new| {
        update_talk(&db, event_id, talk_id, |_| Ok(new))
    })
    .await
}

async fn remove(
    req: HttpRequest,
    form: ConsoleForm,
    db: web::Data<DatabaseConnection>,
    path: web::Path<(Uuid, Uuid)>,
) -> HttpResponse {
    let (event_id, talk_id) = path.into_inner();
    match delete_talk(&db, event_id, talk_id).await {
        // Removed already (a second tap): the schedule shows it is gone.
        Ok(()) | Err(TalkError::NotFound) => see_other(&schedule_path(event_id)),
        Err(error) => {
            let shown = Shown {
                editing: Some(talk_id),
                form: None,
                problems: Problems::of(error),
            };
            schedule_page(&req, &form.signed, &db, event_id, shown).await
        }
    }
}
