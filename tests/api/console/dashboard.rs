//! The dashboard of the next event: the API's figures, the chart, what needs attention.

use serde_json::json;

use crate::helpers::registration::{person, register_ok, stats};
use crate::helpers::{id, spawn_app};

#[tokio::test]
async fn the_dashboard_shows_the_next_events_figures_as_the_api_gives_them() {
    let app = spawn_app().await;
    let past = app
        .open_event(10, json!({"starts_at": "2029-05-19T13:00:00+09:00", "ends_at": "2029-05-19T19:00:00+09:00"}))
        .await;
    register_ok(&app, &id(&past), &person(1)).await;
    let event = app.open_event(2, json!({"requires_approval": true})).await;
    for n in 1..=4 {
        register_ok(&app, &id(&event), &person(n)).await;
    }
    let figures = stats(&app, &id(&event)).await;
    let console = app.console().await;

    // The next event is shown first: the one in 2029.
    let html = console.page("/admin?lang=en").await;
    assert!(
        html.contains(&format!("/admin/events/{}/registrations", id(&past))),
        "{html}"
    );
    assert!(html.contains("<dt>Registered</dt><dd>1</dd>"), "{html}");

    let html = console
        .page(&format!("/admin?lang=en&event={}", id(&event)))
        .await;

    assert!(
        html.contains(&format!("/admin/events/{}/registrations", id(&event))),
        "{html}"
    );
    for (label, key) in [
        ("Registered", "registered"),
        ("Confirmed", "confirmed"),
        ("Waitlisted", "waitlisted"),
        ("Pending", "pending"),
        ("Checked in", "checked_in"),
        ("Seats left", "seats_left"),
    ] {
        let shown = format!("<dt>{label}</dt><dd>{}</dd>", figures[key]);
        assert!(html.contains(&shown), "{shown} in {html}");
    }
    assert_eq!(figures["pending"], 4);
    // Person 1 held a confirmed seat last year.
    assert_eq!(figures["returning_attendees"], 1);
    assert!(html.contains("<dt>Returning</dt><dd>1<"), "{html}");
    assert!(
        html.contains(&format!(
            "/admin/events/{}/registrations?status=pending",
            id(&event)
        )),
        "a link to the pending approvals: {html}"
    );
    let svg = &html[html.find("<svg").expect("a chart")..html.find("</svg>").unwrap()];
    assert!(!svg.contains("style="), "the CSP would drop inline styles");
    assert!(svg.contains("<rect"), "{svg}");
}

#[tokio::test]
async fn without_events_the_dashboard_says_so() {
    let app = spawn_app().await;
    let html = app.console().await.page("/admin?lang=en").await;
    assert!(html.contains("There are no events yet."), "{html}");
    assert!(html.contains("Nothing needs attention now."), "{html}");
}
