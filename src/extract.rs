//! Request extractors that turn every kind of bad input into a problem document: JSON bodies
//! (415, 413, 400, 422 with the failing field), JSON merge patches and list pagination.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use std::time::Duration;

use actix_web::web::{Bytes, BytesMut};
use actix_web::{FromRequest, HttpRequest, http::header};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::domain::Invalid;
use crate::error::{ApiError, FieldError};

/// How request bodies are read, registered as app data by the server: the largest accepted
/// (413 beyond) and how long the whole body may take to arrive (408 after).
#[derive(Debug, Clone, Copy)]
pub struct BodyRules {
    pub max_bytes: usize,
    pub read_timeout: Duration,
}

impl Default for BodyRules {
    fn default() -> Self {
        Self {
            max_bytes: 256 * 1024,
            read_timeout: Duration::from_secs(15),
        }
    }
}

/// Reads a whole request body under the server's `BodyRules`. Without the time limit a client
/// that announces 500 bytes and sends 10 would hold a connection and a worker forever.
pub fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
) -> impl Future<Output = Result<Bytes, ApiError>> + 'static {
    let rules = req.app_data::<BodyRules>().copied().unwrap_or_default();
    let declared_length = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    let mut payload = payload.take();
    async move {
        if declared_length.is_some_and(|length| length > rules.max_bytes) {
            return Err(ApiError::PayloadTooLarge(rules.max_bytes));
        }
        let read_all = async {
            let mut body = BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let chunk = chunk.map_err(|error| {
                    ApiError::BadRequest(format!("cannot read the request body: {error}"))
                })?;
                if body.len() + chunk.len() > rules.max_bytes {
                    return Err(ApiError::PayloadTooLarge(rules.max_bytes));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(body.freeze())
        };
        tokio::time::timeout(rules.read_timeout, read_all)
            .await
            .unwrap_or(Err(ApiError::RequestTimeout(
                rules.read_timeout.as_secs().max(1),
            )))
    }
}

/// A JSON request body, decoded with errors that name the failing field.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = is_json_content_type(req);
        let body = read_body(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            let body = body.await?;
            if body.is_empty() {
                return Err(ApiError::BadRequest(
                    "the request body is empty; send a JSON object".into(),
                ));
            }
            parse_json(&body).map(ApiJson)
        })
    }
}

/// Decodes a JSON body: text that is not JSON is malformed (400); JSON that does not fit `T`
/// is invalid (422) and names the field. The body becomes a `Value` first because decoding
/// text straight into `T` blurs the two: serde_json reports a number where an enum's name
/// belongs as "expected value", a syntax error.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let document: serde_json::Value = serde_json::from_slice(body)
        .map_err(|error| ApiError::BadRequest(format!("malformed JSON: {error}")))?;
    if let Some(field) = path_to_nul(&document, String::new()) {
        return Err(ApiError::field(
            field,
            "must not contain the NUL character (\\u0000)",
        ));
    }
    decode(document)
}

/// The field of a JSON document whose name or text holds NUL, which no field accepts
/// (PostgreSQL cannot store it in text).
fn path_to_nul(value: &serde_json::Value, path: String) -> Option<String> {
    let field = |path: &str| {
        if path.is_empty() {
            "body".to_string()
        } else {
            path.to_string()
        }
    };
    match value {
        serde_json::Value::String(text) => text.contains('\0').then(|| field(&path)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| path_to_nul(item, format!("{path}[{index}]"))),
        serde_json::Value::Object(members) => members.iter().find_map(|(key, item)| {
            let member = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            if key.contains('\0') {
                Some(field(&member))
            } else {
                path_to_nul(item, member)
            }
        }),
        _ => None,
    }
}

fn is_json_content_type(req: &HttpRequest) -> bool {
    let Some(value) = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Deserializes with `serde_path_to_error` so that type errors become field errors (422)
/// while syntax errors stay malformed requests (400).
pub fn decode<'de, T, D>(deserializer: D) -> Result<T, ApiError>
where
    T: serde::Deserialize<'de>,
    D: serde::Deserializer<'de, Error = serde_json::Error>,
{
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        if error.inner().is_syntax() || error.inner().is_eof() || error.inner().is_io() {
            return ApiError::BadRequest(format!("malformed JSON: {}", error.into_inner()));
        }
        ApiError::Validation(vec![field_error(error)])
    })
}

/// The field error of a value that does not fit the type decoded.
fn field_error(error: serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let path = error.path().to_string();
    let message = strip_position(&error.into_inner().to_string());
    field_error_for(&path, message)
}

/// serde reports a missing field at its parent's path; name the field itself.
fn field_error_for(path: &str, message: String) -> FieldError {
    let path = if path == "." { "" } else { path };
    if let Some(name) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let field = if path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        };
        return FieldError::new(field, "is required");
    }
    if message.starts_with("unknown field `") {
        return FieldError::new(path, "is not a known field");
    }
    FieldError::new(if path.is_empty() { "body" } else { path }, message)
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_string(),
        None => message.to_string(),
    }
}

/// Applies an RFC 7396 JSON merge patch: objects merge key by key, `null` removes a key,
/// anything else replaces the target.
pub fn merge_patch(target: &mut serde_json::Value, patch: &serde_json::Value) {
    use serde_json::Value;
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let target = target
        .as_object_mut()
        .expect("target was just made an object");
    for (key, value) in patch {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// Applies a merge patch to the current input representation of a resource and decodes the
/// result as a full input, so a PATCH passes exactly the validation of a create.
pub fn patched<C: Serialize, T: DeserializeOwned>(
    current: &C,
    patch: &serde_json::Value,
) -> Result<T, Invalid> {
    if !patch.is_object() {
        return Err(Invalid::field("body", "a PATCH body must be a JSON object"));
    }
    // Input types are plain structs with string keys, which always serialize.
    let mut document = serde_json::to_value(current).expect("an input serializes to JSON");
    merge_patch(&mut document, patch);
    // A JSON value has no syntax to get wrong: every error is a field that does not fit.
    serde_path_to_error::deserialize(document).map_err(|error| Invalid(vec![field_error(error)]))
}

/// Keyset pagination: items come in a stable order (by id, which is time-ordered UUIDv7);
/// `cursor` is the id of the last item already seen.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<Uuid>,
}

impl PageQuery {
    pub fn limit(&self) -> Result<u64, ApiError> {
        match self.limit {
            None => Ok(20),
            Some(limit @ 1..=100) => Ok(limit),
            Some(_) => Err(ApiError::field("limit", "must be between 1 and 100")),
        }
    }
}

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<Uuid>,
    /// The next page's URL (path and query), absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// Builds a page from up to `limit + 1` rows: the extra row only proves there is more.
    pub fn from_rows(
        req: &HttpRequest,
        mut rows: Vec<T>,
        limit: u64,
        id_of: impl Fn(&T) -> Uuid,
    ) -> Self {
        let has_more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = if has_more {
            rows.last().map(&id_of)
        } else {
            None
        };
        let next = next_cursor.map(|cursor| next_link(req, "cursor", cursor));
        Page {
            items: rows,
            next_cursor,
            next,
        }
    }
}

/// This request's path and query with the query parameter `cursor_param` set to `cursor`: the
/// link to the next page of a list.
pub fn next_link(req: &HttpRequest, cursor_param: &str, cursor: Uuid) -> String {
    let mut query: Vec<(String, String)> =
        url::form_urlencoded::parse(req.query_string().as_bytes())
            .filter(|(key, _)| key != cursor_param)
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    query.push((cursor_param.into(), cursor.to_string()));
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(query)
        .finish();
    format!("{}?{}", req.path(), encoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]});
        merge_patch(
            &mut target,
            &json!({"a": "z", "c": {"f": null}, "list": [3]}),
        );
        assert_eq!(target, json!({"a": "z", "c": {"d": "e"}, "list": [3]}));
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        count: u32,
    }

    #[test]
    fn type_errors_name_the_field() {
        let error = decode::<Sample, _>(json!({"name": "x", "count": "many"})).unwrap_err();
        let ApiError::Validation(errors) = error else {
            panic!("{error:?}")
        };
        assert_eq!(errors[0].field, "count");
    }

    #[test]
    fn missing_and_unknown_fields_are_named() {
        let ApiError::Validation(errors) = decode::<Sample, _>(json!({"name": "x"})).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(errors[0], FieldError::new("count", "is required"));
        let ApiError::Validation(errors) =
            decode::<Sample, _>(json!({"name": "x", "count": 1, "colour": 2})).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(errors[0].field, "colour");
    }

    /// The field a body is refused for, if it is refused for invalid content.
    fn invalid_field(body: &[u8]) -> Option<String> {
        match parse_json::<serde_json::Value>(body) {
            Err(ApiError::Validation(errors)) => Some(errors[0].field.clone()),
            _ => None,
        }
    }

    #[test]
    fn nul_is_found_wherever_it_hides() {
        assert_eq!(
            invalid_field(br#"{"name": "a\u0000b"}"#),
            Some("name".into())
        );
        assert_eq!(
            invalid_field(br#"{"answers": [{"value": "ok"}, {"value": "\u0000"}]}"#),
            Some("answers[1].value".into())
        );
        assert_eq!(invalid_field(br#"{"a\u0000": 1}"#), Some("a\u{0}".into()));
        // An escaped backslash followed by the letters is text, not NUL.
        assert_eq!(invalid_field(br#"{"name": "\\u0000"}"#), None);
        assert_eq!(invalid_field(br#"{"name": "plain"}"#), None);
    }

    #[test]
    fn well_formed_json_of_the_wrong_type_is_invalid_not_malformed() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            Text,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Question {
            kind: Kind,
        }
        for body in [r#"{"kind": 1}"#, r#"{"kind": null}"#, r#"{"kind": [1]}"#] {
            let Err(ApiError::Validation(errors)) = parse_json::<Question>(body.as_bytes()) else {
                panic!("{body} is well-formed JSON of the wrong type")
            };
            assert_eq!(errors[0].field, "kind", "{body}");
        }
        for body in [r#"{"kind": "#, r#"{"kind": "Text"}{}"#, "\u{ff}"] {
            assert!(
                matches!(
                    parse_json::<Question>(body.as_bytes()),
                    Err(ApiError::BadRequest(_))
                ),
                "{body} is not JSON"
            );
        }
    }

    #[test]
    fn syntax_errors_are_malformed() {
        let mut deserializer = serde_json::Deserializer::from_str("{\"name\": ");
        assert!(matches!(
            decode::<Sample, _>(&mut deserializer),
            Err(ApiError::BadRequest(_))
        ));
    }
}
