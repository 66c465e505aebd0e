//! Every operation with bad input made from its schemas, the path valid so that requests get
//! past the 404: each body field missing, extra or replaced by a malformed or boundary value,
//! bodies of the wrong shape or not JSON, unexpected bodies where none is taken, and bad
//! header values. Operations that change seats or delete come last, so the records stay in
//! place for the others.

use reqwest::Method;
use reqwest::header::HeaderValue;

use super::document::{Document, Operation};
use super::generate::{bodies, raw_bodies, values};
use super::paths_and_queries::as_text;
use super::world::World;
use crate::helpers::spawn_app;

/// Bodies first, then the operations that only change state, then deletions.
fn in_order<'a>(mut operations: Vec<Operation<'a>>) -> Vec<Operation<'a>> {
    operations.sort_by_key(|operation| match operation.method {
        _ if operation.has_body() => 0,
        Method::DELETE => 2,
        _ => 1,
    });
    operations
}

#[tokio::test]
async fn bad_input_from_the_schemas_gets_documented_answers() {
    let app = spawn_app().await;
    let doc = Document::fetch(&app).await;
    let world = World::make(&app).await;
    for operation in in_order(doc.operations()) {
        let path = world.path(operation.path, None);
        let request = || app.request(operation.method.clone(), &path);
        let valid_body = doc.body_schema(&operation).map(|schema| {
            (
                schema,
                world.valid_body(operation.method.as_str(), operation.path),
            )
        });
        match &valid_body {
            Some((schema, valid)) => {
                for (n, mut body) in bodies(&doc, schema, valid).into_iter().enumerate() {
                    // A fresh email for each case, unless the case is about the email, so
                    // that "already registered" does not stop the rest at the door.
                    if body.value.get("email").is_some() && body.value["email"] == valid["email"] {
                        body.value["email"] = format!("case{n}@example.com").into();
                    }
                    let sent = request().json(&body.value).send().await;
                    operation.check(&format!("body {}", body.what), sent).await;
                }
            }
            None => {
                let unexpected = serde_json::json!({"unexpected": true});
                let sent = request().json(&unexpected).send().await;
                operation.check("an unexpected JSON body", sent).await;
            }
        }
        for (what, raw) in raw_bodies() {
            let sent = request()
                .header("content-type", "application/json")
                .body(raw)
                .send()
                .await;
            operation
                .check(&format!("a body that is {what}"), sent)
                .await;
        }
        for (name, schema) in operation.parameters("header") {
            for value in values(&doc, schema, None) {
                // Bytes HTTP cannot carry in a header (NUL, line breaks) never reach a server.
                let Ok(header) = HeaderValue::from_bytes(as_text(&value.value).as_bytes()) else {
                    continue;
                };
                let mut sent = request().header(name, header);
                if let Some((_, valid)) = &valid_body {
                    sent = sent.json(valid);
                }
                let input = format!("header {name}: {}", value.what);
                operation.check(&input, sent.send().await).await;
            }
        }
    }
}
