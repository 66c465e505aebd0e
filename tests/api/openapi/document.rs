//! The OpenAPI document as the service serves it: its operations, their parameters and
//! schemas (with `$ref` resolved), and the check every answer must pass: a status the
//! operation documents, never a 5xx, and problem+json for every error.

use reqwest::{Method, Response, StatusCode};
use serde_json::Value;

use crate::helpers::{TestApp, expect_status};

pub struct Document(Value);

/// One documented operation: a method on a path template such as `/api/v1/events/{id}`.
pub struct Operation<'a> {
    pub method: Method,
    pub path: &'a str,
    spec: &'a Value,
}

impl Document {
    pub async fn fetch(app: &TestApp) -> Self {
        let response = app
            .client
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .expect("the document is served");
        Document(expect_status(response, StatusCode::OK).await)
    }

    pub fn operations(&self) -> Vec<Operation<'_>> {
        let mut operations = Vec::new();
        for (path, item) in self.0["paths"].as_object().expect("paths") {
            for (method, spec) in item.as_object().expect("a path item") {
                operations.push(Operation {
                    method: Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    path,
                    spec,
                });
            }
        }
        operations
    }

    /// The schema itself when `schema` is a `$ref` (components only, as utoipa writes them).
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(reference) => {
                let name = reference
                    .strip_prefix("#/components/schemas/")
                    .unwrap_or_else(|| panic!("unexpected $ref {reference}"));
                self.resolve(&self.0["components"]["schemas"][name])
            }
            None => schema,
        }
    }

    /// The schema of the operation's JSON body. A merge patch is documented as any JSON value;
    /// its fields are those of the create operation on the collection (`PATCH /events/{id}`
    /// patches what `POST /events` takes).
    pub fn body_schema<'a>(&'a self, operation: &Operation<'a>) -> Option<&'a Value> {
        let schema = operation.spec["requestBody"]["content"]["application/json"].get("schema")?;
        if operation.method != Method::PATCH || !schema.as_object().is_some_and(|s| s.is_empty()) {
            return Some(self.resolve(schema));
        }
        let collection = &operation.path[..operation.path.rfind('/').expect("a path")];
        let create = &self.0["paths"][collection]["post"];
        Some(self.resolve(&create["requestBody"]["content"]["application/json"]["schema"]))
    }
}

impl Operation<'_> {
    /// `PATCH /api/v1/events/{id}`, for messages.
    pub fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }

    /// The parameters `in` the path, query or header: (name, schema).
    pub fn parameters(&self, place: &str) -> Vec<(&str, &Value)> {
        self.spec["parameters"]
            .as_array()
            .map(|parameters| {
                parameters
                    .iter()
                    .filter(|parameter| parameter["in"] == place)
                    .map(|parameter| (parameter["name"].as_str().unwrap(), &parameter["schema"]))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn has_body(&self) -> bool {
        self.spec["requestBody"].is_object()
    }

    fn documented(&self) -> Vec<&str> {
        self.spec["responses"]
            .as_object()
            .map(|responses| responses.keys().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Checks the answer to this operation with `input` (described for the message): it
    /// came, it is not a 5xx, the operation documents its status, and an error is a problem
    /// document of that status.
    pub async fn check(&self, input: &str, sent: reqwest::Result<Response>) {
        let case = format!("{} with {input}", self.name());
        let response =
            sent.unwrap_or_else(|error| panic!("{case}: no answer: {}", error.without_url()));
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let body = response
            .text()
            .await
            .unwrap_or_else(|error| panic!("{case}: {status} and the body broke off: {error}"));
        let shown: String = body.chars().take(500).collect();
        assert!(!status.is_server_error(), "{case}: {status} {shown}");
        let documented = self.documented();
        assert!(
            documented.contains(&status.as_str()),
            "{case}: {status} is not among the documented {documented:?}: {shown}"
        );
        if status.is_client_error() {
            assert_eq!(
                content_type, "application/problem+json",
                "{case}: {status} {shown}"
            );
            let problem: Value = serde_json::from_str(&body)
                .unwrap_or_else(|error| panic!("{case}: {status} not JSON ({error}): {shown}"));
            assert_eq!(problem["status"], status.as_u16(), "{case}: {shown}");
        }
    }
}
