//! The console's first page. The dashboard of the next event is built on it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::{ConsolePage, Section, Signed, console_words, render};

#[derive(Template)]
#[template(path = "console/home.html")]
struct HomePage {
    page: ConsolePage,
}

pub async fn show(req: HttpRequest, signed: Signed) -> HttpResponse {
    let page = HomePage {
        page: ConsolePage::new(
            &req,
            &signed,
            console_words(signed.lang).dashboard,
            Section::Dashboard,
        ),
    };
    render(StatusCode::OK, &page)
}
