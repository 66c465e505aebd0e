//! `/plans/{plan_key}`: a networking session's table plan for the room, reached by the
//! session's random plan key. It shows first names and affiliations only, in Korean or English
//! (`?lang=`, else the browser's preference, else Korean), in three views:
//!
//! - the round's tables (`?round=N`, round 1 by default), filling one landscape screen
//!   whatever the number of tables;
//! - the round's names in index order with their table (`?view=index&round=N`), likewise;
//! - one card per table with who sits there in each round (`?view=cards`), printed one per
//!   page as a folded table tent.
//!
//! The tables and index views carry every round and show the asked one on screen, so printing
//! either gives one page per round, each under its own heading.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use sea_orm::DatabaseConnection;

use super::i18n::{Strings, Words};
use super::{
    Privacy, content_security_policy, failure, negotiate, not_found, query_param,
    render_with_policy,
};
use crate::networking::plan::index_key;
use crate::networking::store::{self, NetworkingError, Seating};
use crate::networking::tables::called;
use crate::networking::{Round, Seat};
use crate::registration::Language;

pub fn configure_pages(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/plans/{plan_key}").route(web::get().to(plan_page)));
}

/// The plan's own style sheet, inlined like the pages' one. The tables and index views add
/// their grid to it (see [`Fit`]), so each answer's policy allows its own sheet's hash.
const STYLE: &str = include_str!("../../templates/plan.css");

/// What the plan's address asks to see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// A round's tables (1-based).
    Tables(usize),
    /// A round's names in index order (1-based).
    Index(usize),
    /// One card per table, for table tents.
    Cards,
}

impl View {
    /// From `?view=` (`tables` by default, `index` or `cards`) and `?round=` (1 by default, at
    /// most `rounds`); `None` when they name a view or round the plan does not have.
    fn parse(view: Option<&str>, round: Option<&str>, rounds: usize) -> Option<Self> {
        let round = match round {
            None => 1,
            Some(raw) => raw.parse().ok()?,
        };
        let in_plan = (1..=rounds).contains(&round);
        match view.unwrap_or("tables") {
            "tables" if in_plan => Some(Self::Tables(round)),
            "index" if in_plan => Some(Self::Index(round)),
            "cards" => Some(Self::Cards),
            _ => None,
        }
    }

    fn round(self) -> Option<usize> {
        match self {
            Self::Tables(round) | Self::Index(round) => Some(round),
            Self::Cards => None,
        }
    }

    /// The same view of another round (the tables of it, from the cards).
    fn with_round(self, round: usize) -> Self {
        match self {
            Self::Index(_) => Self::Index(round),
            Self::Tables(_) | Self::Cards => Self::Tables(round),
        }
    }

    fn href(self, plan_key: &str, lang: Language) -> String {
        let lang = lang.as_str();
        match self {
            Self::Tables(round) => format!("/plans/{plan_key}?round={round}&lang={lang}"),
            Self::Index(round) => format!("/plans/{plan_key}?view=index&round={round}&lang={lang}"),
            Self::Cards => format!("/plans/{plan_key}?view=cards&lang={lang}"),
        }
    }
}

/// The proportions of the room's screen below the plan's heading (`--head` in `plan.css`):
/// a 16:9 projector.
const SCREEN: (f64, f64) = (16.0, 9.0 * 0.9);

/// A table's box in ems of the tables view's type: its width, and its height without the
/// seats (heading, border, padding and the gap to the next box, with some room to spare), as
/// `.table` in `plan.css` lays it out.
const TABLE_WIDTH: f64 = 11.5;
const TABLE_FRAME_HEIGHT: f64 = 3.1;
/// One line of a seat or of the index (`line-height` in `plan.css`).
const LINE: f64 = 1.3;
/// An index line's width, with the gap to the next column.
const INDEX_WIDTH: f64 = 15.5;

/// A view's boxes (tables, or index lines) in a grid that fills the screen: columns, rows and
/// one box's size in ems. `plan.css` sets the type as large as lets the grid fit the screen
/// (by whichever of width and height is tighter), so any screen fits it; the 16:9 screen only
/// decides the columns.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Fit {
    cols: usize,
    rows: usize,
    width: f64,
    height: f64,
}

impl Fit {
    /// The columns that leave `boxes` boxes of `width` × `height` largest on a 16:9 screen
    /// (the fewest on a tie).
    fn new(boxes: usize, width: f64, height: f64) -> Self {
        let rows = |cols: usize| boxes.div_ceil(cols).max(1);
        let scale = |cols: usize| {
            (SCREEN.0 / cols as f64 / width).min(SCREEN.1 / rows(cols) as f64 / height)
        };
        let cols = (1..=boxes.max(1)).fold(1, |best, cols| {
            if scale(cols) > scale(best) {
                cols
            } else {
                best
            }
        });
        Self {
            cols,
            rows: rows(cols),
            width,
            height,
        }
    }

    /// The grid as the style sheet's variables.
    fn css(&self) -> String {
        format!(
            ":root{{--cols:{};--rows:{};--box-w:{:.2};--box-h:{:.2}}}",
            self.cols, self.rows, self.width, self.height
        )
    }
}

/// What every view shows around its content: the heading and the ways to the other views.
struct Frame {
    lang: Language,
    t: &'static Strings,
    sheet: String,
    heading: String,
    previous: Option<String>,
    next: Option<String>,
    rounds: Vec<NavLink>,
    views: Vec<NavLink>,
    /// This view in the other language.
    switch_href: String,
}

struct NavLink {
    text: String,
    href: String,
    current: bool,
}

/// A seat as the plan shows it: the name a person is called by and their affiliation.
struct SeatView {
    name: String,
    affiliation: String,
}

impl From<&Seat> for SeatView {
    fn from(seat: &Seat) -> Self {
        Self {
            name: called(&seat.name),
            affiliation: seat.affiliation.clone().unwrap_or_default(),
        }
    }
}

/// One round in a view that shows one round per screen and per printed page.
struct RoundView<T> {
    /// The round's heading on its printed page.
    heading: String,
    current: bool,
    items: Vec<T>,
}

struct TableView {
    heading: String,
    /// "라운드 1 / 3 · 테이블 5", for screen readers.
    label: String,
    seats: Vec<SeatView>,
}

struct IndexLine {
    seat: SeatView,
    table: usize,
    /// "테이블 5", for screen readers.
    table_label: String,
}

struct Card {
    heading: String,
    rounds: Vec<CardRound>,
}

struct CardRound {
    label: String,
    /// Who sits at the table in this round, "—" when nobody does.
    names: String,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct TablesPage {
    frame: Frame,
    rounds: Vec<RoundView<TableView>>,
}

#[derive(Template)]
#[template(path = "plan_index.html")]
struct IndexPage {
    frame: Frame,
    rounds: Vec<RoundView<IndexLine>>,
}

#[derive(Template)]
#[template(path = "plan_cards.html")]
struct CardsPage {
    frame: Frame,
    cards: Vec<Card>,
}

async fn plan_page(
    req: HttpRequest,
    db: web::Data<DatabaseConnection>,
    plan_key: web::Path<String>,
) -> HttpResponse {
    let lang = negotiate(&req);
    let seating = match load(&db, &plan_key).await {
        Ok(seating) => seating,
        Err(NetworkingError::PlanNotFound) => {
            return not_found(&req, lang, lang.t().plan_not_found_text);
        }
        Err(error) => return failure(&req, lang, error),
    };
    let view = View::parse(
        query_param(&req, "view").as_deref(),
        query_param(&req, "round").as_deref(),
        seating.rounds.len(),
    );
    let Some(view) = view else {
        return not_found(&req, lang, lang.t().plan_no_such_view_text);
    };
    let rounds = &seating.rounds;
    let title = &seating.session.title;
    let fit = match view {
        View::Tables(_) => Some(tables_fit(rounds)),
        View::Index(_) => Some(index_fit(rounds)),
        View::Cards => None,
    };
    let frame = frame(lang, title, &plan_key, view, rounds.len(), fit);
    let policy = content_security_policy(&frame.sheet);
    match view {
        View::Tables(round) => respond(
            &TablesPage {
                rounds: tables_view(lang, title, rounds, round),
                frame,
            },
            &policy,
        ),
        View::Index(round) => respond(
            &IndexPage {
                rounds: index_view(lang, title, rounds, round),
                frame,
            },
            &policy,
        ),
        View::Cards => respond(
            &CardsPage {
                cards: cards(lang, rounds),
                frame,
            },
            &policy,
        ),
    }
}

async fn load(db: &DatabaseConnection, plan_key: &str) -> Result<Seating, NetworkingError> {
    let row = store::find_by_plan_key(db, plan_key).await?;
    Ok(store::seating(db, row).await?)
}

/// Private: names and affiliations are not kept by caches or sent on as a referrer. `policy`
/// allows the page's own sheet.
fn respond(page: &impl Template, policy: &str) -> HttpResponse {
    render_with_policy(StatusCode::OK, Privacy::Private, page, policy)
}

/// The tables view's grid: a box for each table of the round with the most, each as tall as
/// the largest table.
fn tables_fit(rounds: &[Round]) -> Fit {
    let seats = rounds.iter().flat_map(|r| &r.tables).map(|t| t.seats.len());
    let height = seats.max().unwrap_or(1) as f64 * LINE + TABLE_FRAME_HEIGHT;
    Fit::new(most_tables(rounds), TABLE_WIDTH, height)
}

/// The index's grid: a line for each person of the round with the most.
fn index_fit(rounds: &[Round]) -> Fit {
    let people = rounds
        .iter()
        .map(|r| r.tables.iter().map(|t| t.seats.len()).sum());
    Fit::new(people.max().unwrap_or(1), INDEX_WIDTH, LINE)
}

fn most_tables(rounds: &[Round]) -> usize {
    rounds.iter().map(|r| r.tables.len()).max().unwrap_or(0)
}

/// "네트워킹 1부 · 라운드 1 / 3".
fn round_heading(lang: Language, title: &str, round: usize, rounds: usize) -> String {
    format!("{title} · {}", lang.plan_round(round, rounds))
}

fn index_heading(lang: Language, title: &str, round: usize, rounds: usize) -> String {
    format!(
        "{} · {}",
        round_heading(lang, title, round, rounds),
        lang.t().plan_index_heading
    )
}

fn frame(
    lang: Language,
    title: &str,
    plan_key: &str,
    view: View,
    rounds: usize,
    fit: Option<Fit>,
) -> Frame {
    let t = lang.t();
    let heading = match view {
        View::Tables(round) => round_heading(lang, title, round, rounds),
        View::Index(round) => index_heading(lang, title, round, rounds),
        View::Cards => format!("{title} · {}", t.plan_cards_heading),
    };
    let round = view.round();
    let href = |view: View| view.href(plan_key, lang);
    let views = [
        (View::Tables(round.unwrap_or(1)), t.plan_tables_view),
        (View::Index(round.unwrap_or(1)), t.plan_index_view),
        (View::Cards, t.plan_cards_view),
    ];
    Frame {
        lang,
        t,
        sheet: fit.map_or_else(|| STYLE.to_string(), |fit| format!("{STYLE}{}", fit.css())),
        heading,
        previous: round
            .filter(|&r| r > 1)
            .map(|r| href(view.with_round(r - 1))),
        next: round
            .filter(|&r| r < rounds)
            .map(|r| href(view.with_round(r + 1))),
        rounds: (1..=rounds)
            .map(|r| NavLink {
                text: r.to_string(),
                href: href(view.with_round(r)),
                current: round == Some(r),
            })
            .collect(),
        views: views
            .into_iter()
            .map(|(target, text)| NavLink {
                text: text.to_string(),
                href: href(target),
                current: target == view,
            })
            .collect(),
        switch_href: view.href(plan_key, lang.other()),
    }
}

fn tables_view(
    lang: Language,
    title: &str,
    rounds: &[Round],
    current: usize,
) -> Vec<RoundView<TableView>> {
    rounds
        .iter()
        .map(|round| RoundView {
            heading: round_heading(lang, title, round.number, rounds.len()),
            current: round.number == current,
            items: round
                .tables
                .iter()
                .map(|table| TableView {
                    heading: lang.plan_table(table.number),
                    label: format!(
                        "{} · {}",
                        lang.plan_round(round.number, rounds.len()),
                        lang.plan_table(table.number)
                    ),
                    seats: table.seats.iter().map(SeatView::from).collect(),
                })
                .collect(),
        })
        .collect()
}

/// Everyone seated in each round with their table, in the order a reader of `lang` looks
/// names up (see [`index_key`]); the same name is ordered by affiliation, then table.
fn index_view(
    lang: Language,
    title: &str,
    rounds: &[Round],
    current: usize,
) -> Vec<RoundView<IndexLine>> {
    rounds
        .iter()
        .map(|round| {
            let mut lines: Vec<IndexLine> = round
                .tables
                .iter()
                .flat_map(|table| {
                    table.seats.iter().map(|seat| IndexLine {
                        seat: seat.into(),
                        table: table.number,
                        table_label: lang.plan_table(table.number),
                    })
                })
                .collect();
            lines.sort_by_cached_key(|line| {
                let seat = &line.seat;
                let key = index_key(&seat.name, lang);
                (key, seat.affiliation.clone(), line.table)
            });
            RoundView {
                heading: index_heading(lang, title, round.number, rounds.len()),
                current: round.number == current,
                items: lines,
            }
        })
        .collect()
}

/// A card per table number, with who sits at that table in each round.
fn cards(lang: Language, rounds: &[Round]) -> Vec<Card> {
    (1..=most_tables(rounds))
        .map(|number| Card {
            heading: lang.plan_table(number),
            rounds: rounds
                .iter()
                .map(|round| {
                    let names: Vec<String> = round
                        .tables
                        .iter()
                        .filter(|table| table.number == number)
                        .flat_map(|table| table.seats.iter().map(|seat| called(&seat.name)))
                        .collect();
                    CardRound {
                        label: lang.plan_round(round.number, rounds.len()),
                        names: if names.is_empty() {
                            "—".into()
                        } else {
                            names.join(" · ")
                        },
                    }
                })
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_parse_from_the_address_and_refuse_what_the_plan_lacks() {
        assert_eq!(View::parse(None, None, 3), Some(View::Tables(1)));
        assert_eq!(View::parse(None, Some("3"), 3), Some(View::Tables(3)));
        assert_eq!(
            View::parse(Some("index"), Some("2"), 3),
            Some(View::Index(2))
        );
        assert_eq!(View::parse(Some("cards"), None, 3), Some(View::Cards));
        for (view, round) in [
            (None, Some("0")),
            (None, Some("4")),
            (None, Some("two")),
            (Some("index"), Some("-1")),
            (Some("wall"), None),
            (Some("cards"), Some("x")),
        ] {
            assert_eq!(View::parse(view, round, 3), None, "{view:?} {round:?}");
        }
    }

    #[test]
    fn a_hundred_people_at_seventeen_tables_take_six_columns_of_three_rows() {
        let fit = Fit::new(17, TABLE_WIDTH, 6.0 * LINE + TABLE_FRAME_HEIGHT);
        assert_eq!((fit.cols, fit.rows), (6, 3));
        let index = Fit::new(100, INDEX_WIDTH, LINE);
        assert_eq!((index.cols, index.rows), (4, 25));
        assert_eq!(
            index.css(),
            ":root{--cols:4;--rows:25;--box-w:15.50;--box-h:1.30}"
        );
    }

    #[test]
    fn few_boxes_stay_in_one_row_and_none_still_make_a_grid() {
        let two = Fit::new(2, TABLE_WIDTH, 3.0 * LINE + TABLE_FRAME_HEIGHT);
        assert_eq!((two.cols, two.rows), (2, 1));
        let none = Fit::new(0, INDEX_WIDTH, LINE);
        assert_eq!((none.cols, none.rows), (1, 1));
    }

    #[test]
    fn links_keep_the_view_and_the_language() {
        assert_eq!(
            View::Index(2).href("k", Language::En),
            "/plans/k?view=index&round=2&lang=en"
        );
        assert_eq!(View::Cards.with_round(3), View::Tables(3));
        assert_eq!(View::Index(1).with_round(3), View::Index(3));
    }
}
