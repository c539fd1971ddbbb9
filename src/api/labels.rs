//! Labels at the edge: the patterns the OpenAPI document states for label keys, values and
//! selectors, and the parsing of a `labels=` selector.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::error::ApiError;

/// The pattern of a label key: an optional DNS prefix and `/`, then a name of 1–63 characters.
pub const LABEL_KEY_PATTERN: &str =
    r"^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";
/// The pattern of a label value: at most 63 characters, possibly empty.
pub const LABEL_VALUE_PATTERN: &str = r"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

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
    static KEY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(LABEL_KEY_PATTERN).expect("valid regex"));
    static VALUE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(LABEL_VALUE_PATTERN).expect("valid regex"));
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
                if !KEY.is_match(k) || !VALUE.is_match(v) {
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
