//! Lenient reads of a property document for the rule checks: a value of the wrong type reads as
//! absent, because the schema check reports it.

use serde_json::{Map, Value};

/// A list property's items; `None` when it is absent or not a list.
pub(crate) fn list<'a>(properties: &'a Map<String, Value>, name: &str) -> Option<&'a [Value]> {
    properties.get(name)?.as_array().map(Vec::as_slice)
}

/// Whether a list property is absent or empty; a value that is not a list is the schema's to
/// report, so it counts as neither.
pub(crate) fn is_absent_or_empty(properties: &Map<String, Value>, name: &str) -> bool {
    match properties.get(name) {
        None => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    }
}

/// Whether a boolean property is `true` (absent or of another type: not).
pub(crate) fn is_true(properties: &Map<String, Value>, name: &str) -> bool {
    properties.get(name) == Some(&Value::Bool(true))
}

/// The string items of a list with their indexes; other items are the schema's to report.
pub(crate) fn strings(items: &[Value]) -> Vec<(usize, &str)> {
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| Some((index, item.as_str()?)))
        .collect()
}

/// An integer, including one written as `60.0`, which JSON Schema also counts as an integer.
pub(crate) fn integer(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| {
        let float = value.as_f64()?;
        #[allow(clippy::cast_possible_truncation)] // checked: a whole number within i64's range
        (float.fract() == 0.0 && float.abs() < 9.0e18).then_some(float as i64)
    })
}
