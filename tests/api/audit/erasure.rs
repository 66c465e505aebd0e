//! Erasing a person takes their personal data out of the log too, in the same transaction:
//! the entries about their registrations keep which fields changed and the statuses, not
//! what the fields held.

use reqwest::StatusCode;
use serde_json::{Value, json};

use super::all_entries;
use crate::helpers::{expect_status, id, spawn_app};

#[tokio::test]
async fn erasing_a_person_scrubs_their_values_from_the_log() {
    let app = spawn_app().await;
    let event = app.open_event(10, json!({"requires_approval": true})).await;
    let register = |name: &str, email: &str| json!({"name": name, "email": email, "role": "alumni", "affiliation": "비밀회사"});
    let erased = expect_status(
        app.register(&id(&event), &register("김지움", "erase@example.com"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    let kept = expect_status(
        app.register(&id(&event), &register("박남음", "keep@example.com"))
            .await,
        StatusCode::CREATED,
    )
    .await;
    for person in [&erased, &kept] {
        let path = format!("/api/v1/events/{}/registrations/{}", id(&event), id(person));
        expect_status(
            app.post(&format!("{path}/approve"), &json!({})).await,
            StatusCode::OK,
        )
        .await;
        expect_status(
            app.patch(&path, &json!({"name": format!("{}2", person["name"].as_str().unwrap()), "affiliation": "새회사"}))
                .await,
            StatusCode::OK,
        )
        .await;
    }
    let log = serde_json::to_string(&all_entries(&app).await).unwrap();
    assert!(log.contains("김지움") && log.contains("비밀회사"));

    expect_status(
        app.delete(&format!(
            "/api/v1/people/{}",
            erased["person_id"].as_str().unwrap()
        ))
        .await,
        StatusCode::NO_CONTENT,
    )
    .await;

    let entries = all_entries(&app).await;
    let log = serde_json::to_string(&entries).unwrap();
    assert!(
        !log.contains("김지움"),
        "the name is gone from the log: {log}"
    );
    assert!(
        log.contains("박남음") && log.contains("비밀회사"),
        "others keep theirs"
    );
    let about = |registration: &Value| -> Vec<Value> {
        entries
            .iter()
            .filter(|e| e["target_id"] == registration["id"])
            .cloned()
            .collect()
    };
    let update = about(&erased)
        .into_iter()
        .find(|e| e["action"] == "update")
        .unwrap();
    assert_eq!(
        update["changes"],
        json!({
            "name": {"before": "erased", "after": "erased"},
            "affiliation": {"before": "erased", "after": "erased"},
        })
    );
    let approval = about(&erased)
        .into_iter()
        .find(|e| e["action"] == "approve")
        .unwrap();
    assert_eq!(
        approval["changes"]["status"],
        json!({"before": "pending", "after": "confirmed"}),
        "statuses are not personal"
    );
    let erasure = &entries[0];
    assert_eq!(erasure["action"], "erase");
    assert_eq!(erasure["target_id"], erased["person_id"]);
}
