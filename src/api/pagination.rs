//! Keyset pagination: opaque cursors and page sizes.

use std::marker::PhantomData;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;

use super::error::ApiError;
use super::extract::check_body_text;

/// Default page size.
pub const DEFAULT_LIMIT: i64 = 100;
/// Largest page size.
pub const MAX_LIMIT: i64 = 500;

/// One page of a list.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Page<T> {
    /// The items, in the list's order.
    pub items: Vec<T>,
    /// Pass as `cursor` to read the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// An opaque cursor holding the keyset position of type `T`.
pub struct Cursor<T>(PhantomData<T>);

impl<T: Serialize + DeserializeOwned> Cursor<T> {
    /// Encodes a position as an opaque, URL-safe string.
    pub fn encode(position: &T) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).expect("positions serialize"))
    }

    /// Decodes a cursor sent back as the query parameter `parameter`.
    pub fn decode(cursor: &str, parameter: &str) -> Result<T, ApiError> {
        URL_SAFE_NO_PAD
            .decode(cursor)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            // A forged cursor could carry a NUL, which no position holds and no query can bind.
            .filter(|position| check_body_text(position).is_ok())
            .and_then(|position| serde_json::from_value(position).ok())
            .ok_or_else(|| ApiError::BadParameter {
                parameter: parameter.into(),
                message: "not a cursor returned by this API".into(),
            })
    }
}

/// Checks a requested page size, defaulting when absent.
pub fn page_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    match limit {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::BadParameter {
            parameter: "limit".into(),
            message: format!("{n} is out of range 1..={MAX_LIMIT}"),
        }),
    }
}
