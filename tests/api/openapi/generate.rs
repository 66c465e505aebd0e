//! Malformed and boundary inputs made from OpenAPI schemas: for a value, the other JSON types
//! and the edges of its own type (empty, very long, non-ASCII, NUL, emoji and combining
//! strings; huge, tiny and fractional numbers; unknown enum values, ids and impossible
//! times); for a body, the wrong shapes and every field missing, extra or replaced by those
//! values. Everything is enumerated, so every run sends the same requests.

use serde_json::{Map, Value, json};

use super::document::Document;

/// One input and what it is, short enough for an assertion message.
pub struct Bad {
    pub what: String,
    pub value: Value,
}

fn bad(what: impl Into<String>, value: Value) -> Bad {
    Bad {
        what: what.into(),
        value,
    }
}

/// The JSON type a schema takes and whether it also takes `null`, seeing through utoipa's
/// two spellings of an optional value (`"type": ["string", "null"]` and a `oneOf` with
/// `{"type": "null"}`).
fn kind<'a>(doc: &'a Document, schema: &'a Value) -> (&'a Value, &'a str, bool) {
    let schema = doc.resolve(schema);
    if let Some(alternatives) = schema["oneOf"].as_array() {
        let others: Vec<&Value> = alternatives
            .iter()
            .filter(|alternative| alternative["type"] != "null")
            .collect();
        let nullable = others.len() < alternatives.len();
        if let [only] = others[..] {
            let (schema, kind, inner_nullable) = kind(doc, only);
            return (schema, kind, nullable || inner_nullable);
        }
        return (schema, "oneOf", nullable);
    }
    match &schema["type"] {
        Value::String(kind) => (schema, kind, false),
        Value::Array(kinds) => {
            let kind = kinds
                .iter()
                .filter_map(Value::as_str)
                .find(|kind| *kind != "null")
                .unwrap_or("null");
            (schema, kind, kinds.iter().any(|kind| kind == "null"))
        }
        _ => (schema, "any", true),
    }
}

/// Malformed and boundary values for a value of `schema`; `current` is a valid value when
/// one is known (nested objects are varied field by field from it).
pub fn values(doc: &Document, schema: &Value, current: Option<&Value>) -> Vec<Bad> {
    let (schema, kind, nullable) = kind(doc, schema);
    let mut out = other_types(kind, nullable);
    match kind {
        "string" if schema["enum"].is_array() => out.extend(enum_values(&schema["enum"])),
        "string" => out.extend(match schema["format"].as_str() {
            Some("uuid") => ids(),
            Some("date-time") => times(),
            _ => strings(),
        }),
        "integer" | "number" => out.extend(numbers(schema)),
        "array" => out.extend(arrays(doc, &schema["items"], current)),
        "object" => out.extend(objects(doc, schema, current)),
        "oneOf" => {
            for alternative in schema["oneOf"].as_array().unwrap() {
                out.extend(values(doc, alternative, None));
            }
        }
        _ => {}
    }
    out
}

/// Values of every JSON type but `kind` (and `null` only where it is not allowed).
fn other_types(kind: &str, nullable: bool) -> Vec<Bad> {
    let all = [
        ("null", json!(null)),
        ("boolean", json!(true)),
        ("integer", json!(0)),
        ("string", json!("text")),
        ("array", json!([])),
        ("object", json!({})),
    ];
    all.into_iter()
        .filter(|(name, _)| {
            *name != kind
                && !(*name == "null" && nullable)
                && !(*name == "integer" && kind == "number")
                && kind != "any"
        })
        .map(|(_, value)| bad(format!("{value} (wrong type)"), value))
        .collect()
}

/// Strings that databases, mailers, CSV and HTML each take differently.
pub fn strings() -> Vec<Bad> {
    vec![
        bad("an empty string", json!("")),
        bad("blanks", json!("   ")),
        bad("10,000 × 'x'", json!("x".repeat(10_000))),
        bad("10,000 × '홈'", json!("홈".repeat(10_000))),
        bad("Korean and accents", json!("홈커밍 café ü")),
        bad("a NUL", json!("a\u{0}b")),
        bad("a bell character", json!("a\u{7}b")),
        bad("a line break", json!("a\nb")),
        bad("emoji", json!("💥🎉👩‍👩‍👧")),
        bad("combining marks", json!("e\u{301}\u{302}\u{303}\u{304}")),
        bad("a right-to-left override", json!("\u{202e}abc")),
        bad("a byte order mark", json!("\u{feff}abc")),
        bad("HTML", json!("<script>alert(1)</script>")),
        bad("a formula", json!("=HYPERLINK(\"http://x\")")),
        bad("SQL", json!("'; DROP TABLE events; --")),
    ]
}

fn ids() -> Vec<Bad> {
    vec![
        bad("an id that is not a UUID", json!("not-a-uuid")),
        bad("an empty id", json!("")),
        bad(
            "the nil UUID",
            json!("00000000-0000-0000-0000-000000000000"),
        ),
        bad(
            "an unknown id",
            json!("0193a0b0-0000-7000-8000-000000000000"),
        ),
        bad(
            "a UUID with a NUL",
            json!("0193a0b0-0000-7000-8000-00000000000\u{0}"),
        ),
    ]
}

fn times() -> Vec<Bad> {
    [
        ("an empty time", ""),
        ("February 30th", "2027-02-30T10:00:00+09:00"),
        ("a time without an offset", "2027-05-16T13:00:00"),
        ("a date only", "2027-05-16"),
        ("an offset of 25 hours", "2027-05-16T13:00:00+25:00"),
        ("year 0", "0000-01-01T00:00:00Z"),
        ("year 9999", "9999-12-31T23:59:59Z"),
        ("year +275760", "+275760-09-13T00:00:00Z"),
        ("the Unix epoch", "1970-01-01T00:00:00Z"),
    ]
    .into_iter()
    .map(|(what, time)| bad(what, json!(time)))
    .collect()
}

fn numbers(schema: &Value) -> Vec<Bad> {
    let mut out = vec![
        bad("-1", json!(-1)),
        bad("0", json!(0)),
        bad("1.5", json!(1.5)),
        bad("2^31", json!(2_147_483_648_i64)),
        bad("i64::MAX", json!(i64::MAX)),
        bad("i64::MIN", json!(i64::MIN)),
        bad("u64::MAX", json!(u64::MAX)),
        bad("1e300", json!(1e300)),
        bad("-1e300", json!(-1e300)),
    ];
    if let Some(minimum) = schema["minimum"].as_i64() {
        out.push(bad("the minimum - 1", json!(minimum - 1)));
    }
    if let Some(maximum) = schema["maximum"].as_i64() {
        out.push(bad("the maximum + 1", json!(maximum + 1)));
    }
    out
}

fn enum_values(variants: &Value) -> Vec<Bad> {
    let first = variants[0].as_str().unwrap_or_default();
    vec![
        bad("an empty enum value", json!("")),
        bad("an unknown enum value", json!("no_such_value")),
        bad("an enum value in capitals", json!(first.to_uppercase())),
        bad("an enum value and a blank", json!(format!("{first} "))),
    ]
}

fn arrays(doc: &Document, items: &Value, current: Option<&Value>) -> Vec<Bad> {
    let item = current.and_then(|array| array.get(0)).cloned();
    let filler = item.clone().unwrap_or(json!("x"));
    let mut out = vec![
        bad("an empty array", json!([])),
        bad("1,000 items", json!(vec![filler; 1_000])),
        bad("an array of arrays", json!([[]])),
    ];
    for value in values(doc, items, item.as_ref()) {
        out.push(bad(format!("[{}]", value.what), json!([value.value])));
    }
    out
}

/// An object's fields, one at a time: missing, replaced by a bad value, or joined by one it
/// does not have; maps (`additionalProperties`) get bad keys and bad values.
fn objects(doc: &Document, schema: &Value, current: Option<&Value>) -> Vec<Bad> {
    let base = current.cloned().unwrap_or_else(|| json!({}));
    let Some(fields) = base.as_object() else {
        return Vec::new();
    };
    let mut out = vec![bad(
        "an unknown field",
        with(fields, "unknown_field", json!(1)),
    )];
    for name in schema["required"].as_array().into_iter().flatten() {
        let name = name.as_str().unwrap();
        let mut missing = fields.clone();
        missing.remove(name);
        out.push(bad(format!("no {name}"), Value::Object(missing)));
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        for value in values(doc, property, fields.get(name)) {
            out.push(bad(
                format!("{name} = {}", value.what),
                with(fields, name, value.value),
            ));
        }
    }
    if let Some(entries) = schema.get("additionalProperties").filter(|s| s.is_object()) {
        let key = fields
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "0193a0b0-0000-7000-8000-000000000000".into());
        for value in values(doc, &schema["propertyNames"], None) {
            if let Some(name) = value.value.as_str() {
                out.push(bad(
                    format!("a key {}", value.what),
                    with(fields, name, json!("x")),
                ));
            }
        }
        for value in values(doc, entries, fields.get(&key)) {
            out.push(bad(
                format!("{key} = {}", value.what),
                with(fields, &key, value.value),
            ));
        }
    }
    out
}

fn with(fields: &Map<String, Value>, name: &str, value: Value) -> Value {
    let mut fields = fields.clone();
    fields.insert(name.to_string(), value);
    Value::Object(fields)
}

/// Bodies that are not the object an operation takes at all.
pub fn wrong_bodies(base: &Value) -> Vec<Bad> {
    vec![
        bad("null", json!(null)),
        bad("a string", json!("text")),
        bad("a number", json!(0)),
        bad("an empty array", json!([])),
        bad("the body inside an array", json!([base])),
        bad("an empty object", json!({})),
    ]
}

/// Every bad body for an operation whose body has `schema`, from the valid body `base`.
pub fn bodies(doc: &Document, schema: &Value, base: &Value) -> Vec<Bad> {
    let mut out = wrong_bodies(base);
    out.extend(objects(doc, doc.resolve(schema), Some(base)));
    out
}

/// Bodies that are not JSON, or not all of it, sent as `application/json`.
pub fn raw_bodies() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("empty", Vec::new()),
        ("cut off", b"{\"name\": \"".to_vec()),
        ("two objects", b"{}{}".to_vec()),
        ("not UTF-8", b"{\"name\": \"\xff\xfe\"}".to_vec()),
        ("nested 10,000 deep", "[".repeat(10_000).into_bytes()),
    ]
}
