//! What an entry keeps of a change: the fields that differ, each with its value before and
//! after. Pure, so the rules are tested without a database.

use serde_json::{Map, Value, json};

/// Fields every view has that say nothing about the change itself.
const BOOKKEEPING: [&str; 3] = ["id", "created_at", "updated_at"];

/// What a personal value becomes in the log once its person is erased.
pub const ERASED: &str = "erased";

/// The fields whose values differ between `before` and `after`:
/// `{"field": {"before": x, "after": y}}`. A creation has only `after`s, a deletion only
/// `before`s. A value that is not an object is one field, `value`.
pub fn changed_fields(before: Option<&Value>, after: Option<&Value>) -> Map<String, Value> {
    let before = fields(before);
    let after = fields(after);
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let mut changes = Map::new();
    for name in names {
        if BOOKKEEPING.contains(&name.as_str()) {
            continue;
        }
        let (old, new) = (before.get(name), after.get(name));
        if old == new {
            continue;
        }
        let mut change = Map::new();
        if let Some(old) = old {
            change.insert("before".into(), old.clone());
        }
        if let Some(new) = new {
            change.insert("after".into(), new.clone());
        }
        changes.insert(name.clone(), Value::Object(change));
    }
    changes
}

fn fields(value: Option<&Value>) -> Map<String, Value> {
    match value {
        None => Map::new(),
        Some(Value::Object(fields)) => fields.clone(),
        Some(other) => Map::from_iter([("value".to_string(), other.clone())]),
    }
}

/// Fields of a registration or person that say nothing about who the person is: they stay
/// in the log when the person is erased.
const NOT_PERSONAL: [&str; 7] = [
    "status",
    "waitlist_position",
    "checked_in_at",
    "cancelled_at",
    "event_id",
    "person_id",
    "language",
];

/// An entry's changes with every personal value replaced by the [`ERASED`] marker: which
/// fields changed stays known, what they held does not.
pub fn erase_personal(changes: &Value) -> Value {
    let Value::Object(changes) = changes else {
        return json!({ ERASED: true });
    };
    let erased = changes
        .iter()
        .map(|(name, change)| {
            if NOT_PERSONAL.contains(&name.as_str()) {
                return (name.clone(), change.clone());
            }
            let marked = match change {
                Value::Object(sides) => Value::Object(
                    sides
                        .keys()
                        .map(|side| (side.clone(), Value::String(ERASED.into())))
                        .collect(),
                ),
                _ => Value::String(ERASED.into()),
            };
            (name.clone(), marked)
        })
        .collect();
    Value::Object(erased)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_fields_are_kept() {
        let before = json!({"id": 1, "name": "A", "capacity": 10, "updated_at": "x"});
        let after = json!({"id": 1, "name": "A", "capacity": 20, "updated_at": "y"});
        assert_eq!(
            Value::Object(changed_fields(Some(&before), Some(&after))),
            json!({"capacity": {"before": 10, "after": 20}})
        );
    }

    #[test]
    fn a_creation_has_only_afters_and_a_deletion_only_befores() {
        let row = json!({"id": 1, "name": "A", "notes": null});
        assert_eq!(
            Value::Object(changed_fields(None, Some(&row))),
            json!({"name": {"after": "A"}, "notes": {"after": null}})
        );
        assert_eq!(
            Value::Object(changed_fields(Some(&row), None)),
            json!({"name": {"before": "A"}, "notes": {"before": null}})
        );
    }

    #[test]
    fn a_field_that_appears_has_no_before() {
        let changes = changed_fields(Some(&json!({})), Some(&json!({"seat": 2})));
        assert_eq!(Value::Object(changes), json!({"seat": {"after": 2}}));
    }

    #[test]
    fn erasure_marks_personal_values_and_keeps_the_status() {
        let changes = json!({
            "name": {"before": "김서연", "after": "김서연2"},
            "status": {"before": "pending", "after": "confirmed"},
            "email": {"after": "a@example.com"},
        });
        assert_eq!(
            erase_personal(&changes),
            json!({
                "name": {"before": ERASED, "after": ERASED},
                "status": {"before": "pending", "after": "confirmed"},
                "email": {"after": ERASED},
            })
        );
    }
}
