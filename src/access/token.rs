//! API tokens, `ccp_<id>_<secret>`: minting, parsing, and checking a secret against its stored hash.

use base64::Engine as _;
use rand::Rng as _;
use rand::RngCore as _;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;

/// The prefix of every token, so scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "ccp_";

/// Random bytes in a token secret.
const SECRET_BYTES: usize = 32;

/// A freshly minted token: give `token` to the user once, store `id` and `secret_hash`.
#[derive(Debug, Clone)]
pub struct MintedToken {
    /// The token's public id, `tok_` and 12 letters or digits.
    pub id: String,
    /// The whole bearer token, `ccp_<id>_<secret>`.
    pub token: String,
    /// SHA-256 of the secret, lowercase hex.
    pub secret_hash: String,
}

/// Mints a new token with a 32-byte random secret.
pub fn mint_token() -> MintedToken {
    let mut rng = rand::rng();
    let id: String = (0..12)
        .map(|_| char::from(rng.sample(rand::distr::Alphanumeric)))
        .collect();
    let id = format!("tok_{id}");
    let mut bytes = [0u8; SECRET_BYTES];
    rng.fill_bytes(&mut bytes);
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    MintedToken {
        token: format!("{TOKEN_PREFIX}{id}_{secret}"),
        secret_hash: hash_secret(&secret),
        id,
    }
}

/// Splits a presented bearer token into its id and secret, if it has the right shape.
pub fn parse_token(token: &str) -> Option<(&str, &str)> {
    let rest = token.strip_prefix(TOKEN_PREFIX)?;
    // The id is `tok_` + 12 alphanumerics: fixed length, because the secret may contain `_`.
    let id = rest.get(..16)?;
    let secret = rest.get(16..)?.strip_prefix('_')?;
    let well_formed = id.starts_with("tok_")
        && id[4..].bytes().all(|b| b.is_ascii_alphanumeric())
        && !secret.is_empty();
    well_formed.then_some((id, secret))
}

/// SHA-256 of a secret, lowercase hex.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Whether `secret` hashes to `stored_hash`, compared in constant time.
pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    let presented = hash_secret(secret);
    presented.as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

/// The actor recorded in events for a token.
pub fn actor_of(token_id: &str) -> String {
    format!("token:{token_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_parse_back_and_match_only_their_own_hash() {
        let minted = mint_token();
        assert!(minted.token.len() > 4 + 16 + 1 + 42);
        let (id, secret) = parse_token(&minted.token).unwrap();
        assert_eq!(id, minted.id);
        assert!(secret_matches(secret, &minted.secret_hash));
        assert!(!secret_matches("wrong", &minted.secret_hash));
        assert!(parse_token("ccp_tok_short_x").is_none());
        assert!(parse_token("Bearer whatever").is_none());
    }
}
