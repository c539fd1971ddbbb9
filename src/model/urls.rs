//! Cognito's rules for redirect URLs: `CallbackURLs`, `LogoutURLs` and `DefaultRedirectURI`.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::{Map, Value};
use url::Url;

use super::json::{list, strings};
use super::violation::Violation;

// Cognito's RedirectUrlType: letters, marks, symbols, numbers and punctuation; no spaces or controls.
static VISIBLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$").expect("valid regex"));

const MAX_URLS: usize = 100;
const MAX_URL: usize = 1024;

/// Every violation of the redirect URL rules; values of the wrong type are left to the schema check.
pub(crate) fn violations(properties: &Map<String, Value>, found: &mut Vec<Violation>) {
    for name in ["CallbackURLs", "LogoutURLs"] {
        url_list(properties, name, found);
    }
    default_redirect_uri(properties, found);
}

fn url_list(properties: &Map<String, Value>, name: &str, found: &mut Vec<Violation>) {
    let Some(items) = list(properties, name) else {
        return;
    };
    let count = items.len();
    if count > MAX_URLS {
        let message = format!("at most {MAX_URLS} URLs are allowed: {count} given");
        found.push(Violation::new(format!("/{name}"), message));
    }
    for (index, url) in strings(items) {
        let pointer = format!("/{name}/{index}");
        found.extend(
            problems(url)
                .into_iter()
                .map(|m| Violation::new(pointer.clone(), m)),
        );
    }
}

fn default_redirect_uri(properties: &Map<String, Value>, found: &mut Vec<Violation>) {
    let Some(uri) = properties.get("DefaultRedirectURI").and_then(Value::as_str) else {
        return;
    };
    let pointer = "/DefaultRedirectURI";
    found.extend(
        problems(uri)
            .into_iter()
            .map(|m| Violation::new(pointer, m)),
    );
    let listed = match properties.get("CallbackURLs") {
        None => false,
        Some(Value::Array(urls)) => urls.iter().any(|url| url == uri),
        // A CallbackURLs of the wrong type is the schema's to report.
        Some(_) => true,
    };
    if !listed {
        found.push(Violation::new(pointer, "must be one of the CallbackURLs"));
    }
}

/// What is wrong with one redirect URL, if anything.
fn problems(raw: &str) -> Vec<String> {
    if raw.is_empty() {
        return vec!["must not be empty".to_owned()];
    }
    let mut found = Vec::new();
    let length = raw.chars().count();
    if length > MAX_URL {
        found.push(format!(
            "must be at most {MAX_URL} characters: this one has {length}"
        ));
    }
    // The url crate silently trims surrounding whitespace, which Cognito does not.
    if !VISIBLE.is_match(raw) {
        found.push("must not contain spaces or control characters".to_owned());
    }
    match Url::parse(raw) {
        Err(error) => found.push(format!(
            "must be an absolute URL such as https://example.com/callback ({error})"
        )),
        Ok(url) => {
            // Any other scheme is an app's own (myapp://callback), which Cognito allows. Loopback
            // may use plain http: "except for callback URLs to http://localhost, http://127.0.0.1
            // and http://[::1]" (CreateUserPoolClient reference).
            let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if url.scheme() == "http" && !loopback {
                found.push(
                    "must use https (plain http is allowed only for http://localhost, http://127.0.0.1 and http://[::1])"
                        .to_owned(),
                );
            }
            if url.fragment().is_some() {
                found.push("must not contain a fragment (#)".to_owned());
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn check(document: Value) -> Vec<Violation> {
        let mut found = Vec::new();
        violations(document.as_object().unwrap(), &mut found);
        found
    }

    fn pointers(violations: &[Violation]) -> Vec<&str> {
        violations.iter().map(|v| v.pointer.as_str()).collect()
    }

    #[test]
    fn https_localhost_and_app_urls_are_accepted() {
        let document = json!({
            "CallbackURLs": ["https://example.com/cb?x=1", "http://localhost:3000/cb", "myapp://callback"],
            "LogoutURLs": ["http://localhost", "com.example.app:/logout"],
            "DefaultRedirectURI": "myapp://callback"
        });
        assert_eq!(check(document), vec![]);
    }

    #[test]
    fn callback_url_with_fragment_is_rejected() {
        let found =
            check(json!({"CallbackURLs": ["https://a.example", "https://b.example/cb#top"]}));
        assert_eq!(
            found,
            vec![Violation::new(
                "/CallbackURLs/1",
                "must not contain a fragment (#)"
            )]
        );
    }

    #[test]
    fn plain_http_outside_loopback_is_rejected() {
        let found = check(json!({"LogoutURLs": [
            "http://127.0.0.1/out", "http://[::1]:8080/out", "http://example.com", "http://127.0.0.2/"
        ]}));
        assert_eq!(pointers(&found), ["/LogoutURLs/2", "/LogoutURLs/3"]);
    }

    #[test]
    fn relative_url_is_rejected() {
        let found = check(json!({"CallbackURLs": ["/callback"]}));
        assert_eq!(pointers(&found), ["/CallbackURLs/0"]);
        assert!(
            found[0].message.starts_with("must be an absolute URL"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn url_with_surrounding_space_is_rejected() {
        let found = check(json!({"CallbackURLs": [" https://example.com"]}));
        assert_eq!(pointers(&found), ["/CallbackURLs/0"]);
    }

    #[test]
    fn too_long_url_is_rejected() {
        let url = format!("https://example.com/{}", "a".repeat(1010));
        assert_eq!(
            pointers(&check(json!({"LogoutURLs": [url]}))),
            ["/LogoutURLs/0"]
        );
    }

    #[test]
    fn more_than_a_hundred_callback_urls_are_rejected() {
        let urls: Vec<String> = (0..101)
            .map(|i| format!("https://example.com/{i}"))
            .collect();
        assert_eq!(
            pointers(&check(json!({"CallbackURLs": urls}))),
            ["/CallbackURLs"]
        );
    }

    #[test]
    fn default_redirect_uri_must_be_a_callback_url() {
        let document = json!({"CallbackURLs": ["https://a.example/cb"], "DefaultRedirectURI": "https://b.example/cb"});
        let found = check(document);
        assert_eq!(
            found,
            vec![Violation::new(
                "/DefaultRedirectURI",
                "must be one of the CallbackURLs"
            )]
        );
    }

    #[test]
    fn default_redirect_uri_follows_the_url_rules() {
        let document =
            json!({"CallbackURLs": ["http://a.example"], "DefaultRedirectURI": "http://a.example"});
        assert_eq!(
            pointers(&check(document)),
            ["/CallbackURLs/0", "/DefaultRedirectURI"]
        );
    }
}
