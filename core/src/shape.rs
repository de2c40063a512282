//! Reading a JSON document's shape by hand, for the documents the core
//! takes from outside and checks whole (region profiles, service
//! catalogs): serde's derives over a `Value` compiled to about 40 KB of the
//! library for a profile's ten structs, and these few readers serve every
//! document. Each returns `None` for any shape error, so a caller maps
//! one `?` chain to one typed refusal; strings move out of the `Value`
//! instead of being copied.

use std::collections::BTreeMap;

use serde_json::Value;

/// An object with no member but `allowed` (as `deny_unknown_fields`).
pub(crate) fn object(value: Value, allowed: &[&str]) -> Option<serde_json::Map<String, Value>> {
    match value {
        Value::Object(map) if map.keys().all(|k| allowed.contains(&k.as_str())) => Some(map),
        _ => None,
    }
}

pub(crate) fn string(value: Option<Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// A list of strings; absent is empty when `optional`.
pub(crate) fn strings(value: Option<Value>, optional: bool) -> Option<Vec<String>> {
    match value {
        None if optional => Some(Vec::new()),
        Some(Value::Array(items)) => items.into_iter().map(|s| string(Some(s))).collect(),
        _ => None,
    }
}

/// Texts by language tag.
pub(crate) fn labels(value: Option<Value>) -> Option<BTreeMap<String, String>> {
    match value? {
        Value::Object(map) => map
            .into_iter()
            .map(|(k, v)| Some((k, string(Some(v))?)))
            .collect(),
        _ => None,
    }
}

/// A whole number, `default` when absent.
pub(crate) fn number(value: Option<Value>, default: u64) -> Option<u64> {
    match value {
        None => Some(default),
        Some(v) => v.as_u64(),
    }
}

/// A list of objects, each read by `item`.
pub(crate) fn list<T>(
    value: Option<Value>,
    item: impl FnMut(Value) -> Option<T>,
) -> Option<Vec<T>> {
    match value? {
        Value::Array(items) => items.into_iter().map(item).collect(),
        _ => None,
    }
}
