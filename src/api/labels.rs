//! Labels at the edge: the selector pattern the OpenAPI document states, and the parsing of a
//! `labels=` selector (its terms follow the document's label rules, `model::document`).

use std::collections::BTreeMap;

use super::error::ApiError;
use crate::model::document::{
    LABEL_KEY_PATTERN, LABEL_VALUE_PATTERN, is_label_key, is_label_value,
};

/// The pattern of a label selector: `key=value` terms, separated by commas, each a label a
/// document may carry (what the OpenAPI document states; the server also trims spaces around a
/// term and skips empty ones).
pub fn selector_pattern() -> String {
    let term = format!(
        "{}={}",
        LABEL_KEY_PATTERN
            .trim_start_matches('^')
            .trim_end_matches('$'),
        LABEL_VALUE_PATTERN
            .trim_start_matches('^')
            .trim_end_matches('$')
    );
    format!("^({term}(,{term})*)?$")
}

/// The labels a `labels=` selector asks for; a term that is not `key=value`, or that no label
/// could match, is a 400 naming the parameter.
pub fn parse_selector(selector: &str) -> Result<BTreeMap<String, String>, ApiError> {
    let bad = |message: String| ApiError::BadParameter {
        parameter: "labels".into(),
        message,
    };
    selector
        .split(',')
        .filter(|term| !term.trim().is_empty())
        .map(|term| match term.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                let (k, v) = (k.trim(), v.trim());
                // No label can be anything else, and a NUL could not even be looked up.
                if !is_label_key(k) || !is_label_value(v) {
                    return Err(bad(format!(
                        "`{term}` is not a label: keys are an optional DNS prefix and `/`, then \
                         1–63 alphanumerics, `-`, `_` or `.`; values at most 63 of those"
                    )));
                }
                Ok((k.to_owned(), v.to_owned()))
            }
            _ => Err(bad(format!("`{term}` is not `key=value`"))),
        })
        .collect()
}
