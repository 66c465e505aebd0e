//! Every operation with a malformed value in each path parameter (the others valid), and
//! with a wrong-type or out-of-range value in each query parameter (the path valid).

use serde_json::Value;

use super::document::Document;
use super::generate::values;
use super::world::World;
use crate::helpers::spawn_app;

/// How a generated value is written in a URL: strings as they are, `null` as nothing, the
/// rest as JSON text (`true`, `1.5`, `[]`).
pub fn as_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The longest URL sent. Past 64 KiB the `http` crate refuses the URL before the service sees
/// it (a bare 400; docs/api.md says so), and reqwest will not even build it.
const MAX_URL: usize = 32 * 1024;

fn percent_encoded(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn malformed_path_and_query_parameters_get_documented_problems() {
    let app = spawn_app().await;
    let doc = Document::fetch(&app).await;
    let world = World::make(&app).await;
    for operation in doc.operations() {
        let body = operation
            .has_body()
            .then(|| world.valid_body(operation.method.as_str(), operation.path));
        let send = |path: String| {
            let request = app.request(operation.method.clone(), &path);
            match &body {
                Some(body) => request.json(body),
                None => request,
            }
            .send()
        };
        for (name, schema) in operation.parameters("path") {
            for value in values(&doc, schema, None) {
                let segment = percent_encoded(&as_text(&value.value));
                let path = world.path(operation.path, Some((name, &segment)));
                if path.len() > MAX_URL {
                    continue;
                }
                let input = format!("path parameter {name} = {}", value.what);
                operation.check(&input, send(path).await).await;
            }
        }
        for (name, schema) in operation.parameters("query") {
            for value in values(&doc, schema, None) {
                let query = format!("{name}={}", percent_encoded(&as_text(&value.value)));
                let path = format!("{}?{query}", world.path(operation.path, None));
                if path.len() > MAX_URL {
                    continue;
                }
                let input = format!("query parameter {name} = {}", value.what);
                operation.check(&input, send(path).await).await;
            }
        }
    }
}
