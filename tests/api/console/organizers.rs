//! The console's organizers page: the list, and inviting another organizer, who gets a
//! one-time sign-in link by mail and signs in with it.

use entity::outbox_message;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::console::sign_in_with_link;
use crate::helpers::{TestApp, spawn_app};

/// The mails queued for `address`.
async fn mails_to(app: &TestApp, address: &str) -> Vec<outbox_message::Model> {
    outbox_message::Entity::find()
        .filter(outbox_message::Column::ToAddress.eq(address))
        .all(&app.db)
        .await
        .unwrap()
}

async fn organizer_count(app: &TestApp) -> usize {
    homecoming::organizers::store::list(&app.db)
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn an_invited_organizer_is_mailed_a_link_and_signs_in_with_it() {
    let app = spawn_app().await;
    let console = app.console().await;
    let list = console.page("/admin/organizers").await;
    assert!(list.contains("테스트 운영자"), "the organizers are listed");

    let response = console
        .post(
            "/admin/organizers",
            &[
                ("name", "박초대"),
                ("email", "Invitee@Example.com"),
                ("language", "en"),
            ],
        )
        .await;
    let html = console.follow(&response).await;
    assert!(html.contains("초대 메일을 보냈습니다"), "{html}");
    assert!(html.contains("박초대"), "the invitee is listed");
    assert!(html.contains("invitee@example.com"));

    // The invitation is an organizer's change: in the audit log, by the one who invited.
    let log =
        crate::helpers::expect_status(app.get("/api/v1/audit-log").await, StatusCode::OK).await;
    let entry = &log["items"][0];
    assert_eq!(entry["action"], "invite", "{log}");
    assert_eq!(entry["target_type"], "organizer");
    assert_eq!(entry["organizer_name"], "테스트 운영자");
    assert_eq!(entry["changes"]["email"]["after"], "invitee@example.com");

    let mails = mails_to(&app, "invitee@example.com").await;
    assert_eq!(mails.len(), 1, "one invitation");
    let mail = &mails[0];
    assert!(mail.subject.contains("invited"), "{}", mail.subject);
    assert!(
        mail.text_body.contains("테스트 운영자"),
        "says who invited them"
    );
    let start = mail
        .text_body
        .find("/admin/sign-in/")
        .expect("a sign-in link");
    let link: String = mail.text_body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();

    let invitee = sign_in_with_link(&app, &link).await;
    let home = invitee.page("/admin").await;
    assert!(home.contains("박초대"), "signed in as the invitee");
    assert!(
        invitee.get(&link).await.status() == StatusCode::GONE,
        "the link works once"
    );
}

#[tokio::test]
async fn an_invitation_to_an_organizer_or_with_bad_fields_is_refused_inline() {
    let app = spawn_app().await;
    let console = app.console().await;
    let before = organizer_count(&app).await;

    let taken = console
        .post(
            "/admin/organizers",
            &[
                ("name", "또 나"),
                ("email", app.organizer.email.to_uppercase().as_str()),
            ],
        )
        .await;
    assert_eq!(taken.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = taken.text().await.unwrap();
    assert!(html.contains("이미 운영진입니다"), "{html}");
    assert!(
        html.contains("value=\"또 나\""),
        "the form keeps what was typed"
    );

    let bad = console
        .post(
            "/admin/organizers",
            &[("name", ""), ("email", "not-an-address")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("이름을 한 줄로"), "{html}");
    assert!(html.contains("이메일 주소를 확인해"), "{html}");

    assert_eq!(organizer_count(&app).await, before, "nobody was added");
    assert!(mails_to(&app, "not-an-address").await.is_empty());
}

#[tokio::test]
async fn an_invitation_without_the_session_token_changes_nothing() {
    let app = spawn_app().await;
    let mut console = app.console().await;
    let before = organizer_count(&app).await;
    console.csrf = "forged".into();
    let response = console
        .post(
            "/admin/organizers",
            &[("name", "몰래"), ("email", "sneaky@example.com")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(organizer_count(&app).await, before);
    assert!(mails_to(&app, "sneaky@example.com").await.is_empty());
}
