//! Cross-cutting behaviour: probes, problem documents for every kind of bad request,
//! authentication on every organizer route, and the OpenAPI document.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{expect_problem, expect_status, spawn_app};

#[tokio::test]
async fn health_and_ready_answer_ok() {
    let app = spawn_app().await;
    for path in ["/health", "/ready"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert!(
            response.headers().contains_key("x-request-id"),
            "{path} has a request id"
        );
        assert_eq!(
            expect_status(response, StatusCode::OK).await,
            json!({"status": "ok"})
        );
    }
}

#[tokio::test]
async fn ready_reports_an_unreachable_database() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let response = app.client.get(app.url("/ready")).send().await.unwrap();
    expect_problem(response, StatusCode::SERVICE_UNAVAILABLE).await;
    let response = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the process itself is still up"
    );
}

#[tokio::test]
async fn unknown_routes_are_404_problems() {
    let app = spawn_app().await;
    for path in ["/nope", "/api/v1/nothing-here", "/api/v2/events"] {
        let response = app.get(path).await;
        expect_problem(response, StatusCode::NOT_FOUND).await;
    }
}

#[tokio::test]
async fn wrong_methods_are_405_problems_with_allow() {
    let app = spawn_app().await;
    let response = app
        .request(Method::PUT, "/api/v1/events")
        .send()
        .await
        .unwrap();
    let allow = response.headers()["allow"].to_str().unwrap().to_string();
    expect_problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    let response = app
        .request(
            Method::POST,
            "/api/v1/venues/0193a0b0-0000-7000-8000-000000000000",
        )
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::METHOD_NOT_ALLOWED).await;
}

#[tokio::test]
async fn malformed_json_is_400() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/venues")
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, StatusCode::BAD_REQUEST).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("JSON"),
        "{problem}"
    );
}

#[tokio::test]
async fn wrong_field_types_are_422_naming_the_field() {
    let app = spawn_app().await;
    let response = app
        .post(
            "/api/v1/venues",
            &json!({"name": "x", "address": "y", "capacity": "lots"}),
        )
        .await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "capacity", "{problem}");
}

/// serde_json calls a number where a closed set's name belongs "expected value", as if the
/// JSON were broken; it is well-formed, so the answer names the field like any wrong type.
#[tokio::test]
async fn a_wrong_type_for_a_closed_set_is_422_naming_the_field() {
    let app = spawn_app().await;
    let event = app.create_event(None).await;
    let path = format!("/api/v1/events/{}/questions", event["id"].as_str().unwrap());
    for kind in [json!(1), json!(null), json!(["text"]), json!(true)] {
        let response = app.post(&path, &json!({"label": "?", "kind": kind})).await;
        let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(problem["errors"][0]["field"], "kind", "{kind}: {problem}");
    }
}

#[tokio::test]
async fn non_json_bodies_are_415() {
    let app = spawn_app().await;
    let response = app
        .request(Method::POST, "/api/v1/venues")
        .header("content-type", "text/plain")
        .body("name=x")
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::UNSUPPORTED_MEDIA_TYPE).await;
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let app = spawn_app().await;
    let huge = "가".repeat(100_000);
    let response = app
        .post(
            "/api/v1/venues",
            &json!({"name": "x", "address": "y", "notes": huge}),
        )
        .await;
    expect_problem(response, StatusCode::PAYLOAD_TOO_LARGE).await;
    let list = expect_status(app.get("/api/v1/venues").await, StatusCode::OK).await;
    assert_eq!(list["items"], json!([]), "nothing was created");
}

#[tokio::test]
async fn invalid_path_ids_are_problems_not_500s() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/events/not-a-uuid").await;
    expect_problem(response, StatusCode::BAD_REQUEST).await;
    let response = app
        .get("/api/v1/events/0193a0b0-0000-7000-8000-000000000000")
        .await;
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

#[tokio::test]
async fn invalid_query_parameters_are_422() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/events?limit=0").await;
    let problem = expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "limit");
    let response = app.get("/api/v1/events?status=someday").await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    let response = app.get("/api/v1/events?cursor=zzz").await;
    expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
}

async fn openapi(app: &crate::helpers::TestApp) -> Value {
    let response = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap();
    expect_status(response, StatusCode::OK).await
}

/// Every documented operation, as (method, path with placeholders).
fn operations(doc: &Value) -> Vec<(Method, String)> {
    let mut operations = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            operations.push((method, path.clone()));
        }
    }
    operations
}

fn concrete(path: &str) -> String {
    let mut out = String::new();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        out.push('/');
        if segment.starts_with('{') {
            out.push_str("0193a0b0-0000-7000-8000-000000000000");
        } else {
            out.push_str(segment);
        }
    }
    out
}

#[tokio::test]
async fn every_organizer_route_requires_a_valid_token() {
    let app = spawn_app().await;
    let doc = openapi(&app).await;
    let organizer_routes: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(method, path)| {
            doc["paths"][path][method.as_str().to_lowercase()]["security"].is_array()
        })
        .collect();
    let public: Vec<_> = operations(&doc)
        .into_iter()
        .filter(|(method, path)| {
            path.starts_with("/api/v1/")
                && doc["paths"][path][method.as_str().to_lowercase()]["security"].is_null()
        })
        .collect();
    assert_eq!(
        public,
        [
            (
                Method::POST,
                "/api/v1/events/{event_id}/registrations".to_string()
            ),
            (Method::GET, "/api/v1/public/events/{slug}".to_string()),
        ],
        "only these API operations are public"
    );
    assert!(organizer_routes.len() >= 20, "{organizer_routes:?}");
    for (method, path) in organizer_routes {
        for token in [None, Some("hc_not-a-real-token"), Some("garbage")] {
            let mut request = app
                .client
                .request(method.clone(), app.url(&concrete(&path)))
                .json(&json!({}));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["status"], 401);
        }
    }
}

#[tokio::test]
async fn public_routes_need_no_token() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/api/v1/public/events/no-such-event"))
        .send()
        .await
        .unwrap();
    expect_problem(response, StatusCode::NOT_FOUND).await;
}

/// Route macros in the source, e.g. `#[get("/events/{id}")]`: each must be an operation in
/// the OpenAPI document, so no route can be added without documenting it.
fn route_macros_in_source() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let source = std::fs::read_to_string(&path).unwrap();
                for line in source.lines().map(str::trim) {
                    for method in ["get", "post", "put", "patch", "delete"] {
                        if let Some(rest) = line.strip_prefix(&format!("#[{method}(\"")) {
                            let route = rest.split('"').next().unwrap().to_string();
                            found.push((method.to_string(), route));
                        }
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    found
}

#[tokio::test]
async fn openapi_documents_every_route() {
    let app = spawn_app().await;
    let doc = openapi(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let documented = operations(&doc);
    let in_source = route_macros_in_source();
    assert!(in_source.len() >= 20, "{in_source:?}");
    for (method, route) in &in_source {
        let found = documented.iter().any(|(m, path)| {
            m.as_str().eq_ignore_ascii_case(method) && path.ends_with(route.as_str())
        });
        assert!(found, "{method} {route} is not in the OpenAPI document");
    }
    assert_eq!(
        documented.len(),
        in_source.len(),
        "every documented operation is a route"
    );
    // Every documented operation answers (no 404 from the router, no 405).
    for (method, path) in documented {
        let response = app
            .request(method.clone(), &concrete(&path))
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        let unrouted = status == StatusCode::METHOD_NOT_ALLOWED
            || body["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("no route for"));
        assert!(
            !unrouted,
            "{method} {path} is documented but not served: {status} {body}"
        );
    }
}

#[tokio::test]
async fn openapi_describes_errors_security_and_examples() {
    let app = spawn_app().await;
    let doc = openapi(&app).await;
    let create_event = &doc["paths"]["/api/v1/events"]["post"];
    for status in ["201", "400", "401", "409", "413", "415", "422", "500"] {
        assert!(
            create_event["responses"][status].is_object(),
            "POST /api/v1/events documents {status}"
        );
    }
    assert_eq!(
        create_event["responses"]["422"]["content"]["application/problem+json"]["schema"]["$ref"],
        "#/components/schemas/Problem"
    );
    assert!(create_event["security"].is_array());
    assert!(doc["paths"]["/api/v1/public/events/{slug}"]["get"]["security"].is_null());
    assert!(doc["components"]["securitySchemes"]["organizer_token"].is_object());
    let event_input = &doc["components"]["schemas"]["EventInput"];
    assert_eq!(
        event_input["properties"]["title"]["example"],
        "1&N 홈커밍 2026"
    );
}

#[tokio::test]
async fn interactive_docs_are_served_offline() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("swagger"), "the Swagger UI page");
    let response = app
        .client
        .get(app.url("/api/docs/swagger-ui-bundle.js"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the UI's script is bundled in the binary"
    );
    assert!(response.text().await.unwrap().len() > 100_000);
}
