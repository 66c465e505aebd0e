//! The door check-in page that a ticket's QR code opens (see [`crate::door`]). For now it
//! shows nothing about the event or the person and does nothing: a guest's camera opening
//! it learns nothing, and staff are told to sign in. The organizer issue builds the page that
//! checks people in.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;

use super::i18n::Words;
use super::{Page, Privacy, negotiate, render};

#[derive(Template)]
#[template(path = "door.html")]
struct DoorPage {
    page: Page,
}

pub async fn show(req: HttpRequest) -> HttpResponse {
    let lang = negotiate(&req);
    // A relative switch: nothing from the URL is echoed, and the code (a person's) is left
    // behind.
    let page = Page::new(lang, lang.t().door_title, "check-in");
    // Private: the URL holds a person's code, which must not travel on as a referrer.
    render(StatusCode::OK, Privacy::Private, &DoorPage { page })
}
