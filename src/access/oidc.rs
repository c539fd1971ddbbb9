//! OIDC: verifies JWTs from one issuer against its JWKS (a file, or a URL re-read periodically) and
//! maps their groups to bindings.
//!
//! Only RS256 and ES256 are accepted; `iss`, `aud`, `exp` and `sub` are required, `nbf` is checked
//! when present, with [`LEEWAY_SECS`] of clock skew either way. Keys are looked up by `kid`; a
//! token whose `kid` is unknown re-reads the JWKS, at most once per [`UNKNOWN_KID_COOLDOWN`].

use std::fmt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Empty, Limited};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use tokio::sync::Mutex;

use crate::access::Binding;

/// Seconds of clock skew tolerated on `exp` and `nbf`.
pub const LEEWAY_SECS: u64 = 30;

/// Shortest gap between two reads of the JWKS (or the refresh interval, when shorter), so tokens
/// with made-up `kid`s cannot make ccplane hammer the issuer.
pub const UNKNOWN_KID_COOLDOWN: Duration = Duration::from_secs(10);

/// Longest wait for a JWKS URL to answer.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Largest JWKS document read.
const MAX_JWKS_BYTES: usize = 1024 * 1024;

/// What the verifier needs: the issuer, its audience and keys, and how groups become bindings.
/// Made from the flags by `config::OidcArgs::settings`.
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// Issuer (`iss`) whose JWTs are accepted.
    pub issuer: String,
    /// Audience (`aud`) a JWT must name.
    pub audience: String,
    /// Where the issuer's signing keys are read from.
    pub jwks: JwksSource,
    /// Time between re-reads of the keys.
    pub jwks_refresh: Duration,
    /// The claim listing a JWT's groups.
    pub groups_claim: String,
    /// Bindings granted to the members of groups.
    pub bindings: Vec<GroupBinding>,
}

/// Where the issuer's keys are read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    /// A JWKS document on disk (re-read like a URL, so a rotated file is picked up).
    File(PathBuf),
    /// An `http://` or `https://` URL.
    Url(String),
}

impl JwksSource {
    /// A URL when `text` starts with `http://` or `https://`, else a file path.
    pub fn parse(text: &str) -> Result<JwksSource, String> {
        let lower = text.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") {
            text.parse::<axum::http::Uri>()
                .map_err(|err| format!("not a URL: {err}"))?;
            Ok(JwksSource::Url(text.to_owned()))
        } else if text.is_empty() {
            Err("empty JWKS location".into())
        } else {
            Ok(JwksSource::File(text.into()))
        }
    }
}

impl fmt::Display for JwksSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JwksSource::File(path) => write!(f, "{}", path.display()),
            JwksSource::Url(url) => f.write_str(url),
        }
    }
}

/// A binding granted to the members of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBinding {
    /// The group, as the groups claim spells it.
    pub group: String,
    /// What its members may do.
    pub binding: Binding,
}

impl GroupBinding {
    /// Parses `GROUP=ROLE:NAMESPACE`, e.g. `payments-devs=editor:payments`.
    pub fn parse(text: &str) -> Result<GroupBinding, String> {
        // The last `=`: a group name may contain one, a binding never does.
        let (group, binding) = text
            .rsplit_once('=')
            .filter(|(group, _)| !group.is_empty())
            .ok_or_else(|| format!("`{text}` is not `GROUP=ROLE:NAMESPACE`"))?;
        Ok(GroupBinding {
            group: group.to_owned(),
            binding: Binding::parse(binding)?,
        })
    }
}

/// Why a JWT was refused; the message is sent to the caller as the 401's detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    /// Not three base64url parts with a JSON header.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// `none`, HS*, or anything else but RS256 and ES256.
    #[error("the token's signing algorithm is not accepted (only RS256 and ES256 are)")]
    Algorithm,
    /// No key in the JWKS has the token's `kid` (and algorithm).
    #[error("the token's signing key is unknown")]
    UnknownKey,
    /// The signature does not verify.
    #[error("the token's signature is not valid")]
    Signature,
    /// `exp` has passed.
    #[error("the token expired")]
    Expired,
    /// `nbf` is still ahead.
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `aud` does not name this API.
    #[error("the token is meant for another audience")]
    Audience,
    /// `iss` is another issuer.
    #[error("the token is from another issuer")]
    Issuer,
    /// A required claim is missing.
    #[error("the token has no `{0}` claim")]
    MissingClaim(String),
    /// A claim has the wrong type.
    #[error("the token's claims are not valid")]
    Claims,
}

impl From<jsonwebtoken::errors::Error> for OidcError {
    fn from(err: jsonwebtoken::errors::Error) -> Self {
        use jsonwebtoken::errors::ErrorKind;
        match err.into_kind() {
            ErrorKind::InvalidSignature => OidcError::Signature,
            ErrorKind::ExpiredSignature => OidcError::Expired,
            ErrorKind::ImmatureSignature => OidcError::NotYetValid,
            ErrorKind::InvalidAudience => OidcError::Audience,
            ErrorKind::InvalidIssuer => OidcError::Issuer,
            ErrorKind::MissingRequiredClaim(claim) => OidcError::MissingClaim(claim),
            ErrorKind::InvalidAlgorithm | ErrorKind::UnsupportedAlgorithm => OidcError::Algorithm,
            ErrorKind::InvalidClaimFormat(_) | ErrorKind::Json(_) => OidcError::Claims,
            _ => OidcError::Malformed,
        }
    }
}

/// Who a verified JWT says the caller is, and what its groups grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The `sub` claim.
    pub subject: String,
    /// The groups the groups claim lists.
    pub groups: Vec<String>,
    /// The bindings of those groups (none: authenticated, but sees nothing).
    pub bindings: Vec<Binding>,
}

impl Identity {
    /// The actor recorded in events: `oidc:<sub>`.
    pub fn actor(&self) -> String {
        format!("oidc:{}", self.subject)
    }
}

/// Whether a bearer token has the shape of a JWT (three base64url parts), not of an API token.
pub fn looks_like_jwt(token: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() == 3
        && parts[..2].iter().all(|p| !p.is_empty())
        && parts.iter().all(|p| {
            p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// A verification key from the JWKS, with the one algorithm it is used for.
#[derive(Clone)]
struct Key {
    kid: Option<String>,
    alg: Algorithm,
    key: DecodingKey,
}

/// The keys ccplane may verify with: RSA keys for RS256 and P-256 keys for ES256 that are meant
/// for signatures. Keys of other types (or that do not parse) are skipped, so an issuer that also
/// publishes, say, encryption keys still works.
fn usable_keys(jwks: &[u8]) -> Result<Vec<Key>, String> {
    #[derive(serde::Deserialize)]
    struct Set {
        keys: Vec<Value>,
    }
    let set: Set =
        serde_json::from_slice(jwks).map_err(|err| format!("not a JWKS document: {err}"))?;
    let keys = set
        .keys
        .into_iter()
        .filter_map(|value| serde_json::from_value::<Jwk>(value).ok())
        .filter_map(|jwk| {
            let alg = match (&jwk.algorithm, jwk.common.key_algorithm) {
                (AlgorithmParameters::RSA(_), None | Some(KeyAlgorithm::RS256)) => Algorithm::RS256,
                (AlgorithmParameters::EllipticCurve(ec), None | Some(KeyAlgorithm::ES256))
                    if ec.curve == EllipticCurve::P256 =>
                {
                    Algorithm::ES256
                }
                _ => return None,
            };
            let for_signing = matches!(
                jwk.common.public_key_use,
                None | Some(PublicKeyUse::Signature)
            );
            let key = DecodingKey::from_jwk(&jwk).ok()?;
            for_signing.then(|| Key {
                kid: jwk.common.key_id.clone(),
                alg,
                key,
            })
        })
        .collect();
    Ok(keys)
}

/// The key for a token signed with `alg` under `kid`; without a `kid`, the only key for `alg`.
fn select_key<'k>(keys: &'k [Key], alg: Algorithm, kid: Option<&str>) -> Option<&'k Key> {
    let mut candidates = keys.iter().filter(|k| k.alg == alg);
    match kid {
        Some(kid) => candidates.find(|k| k.kid.as_deref() == Some(kid)),
        None => {
            let only = candidates.next()?;
            candidates.next().is_none().then_some(only)
        }
    }
}

/// The algorithm and `kid` of a token's header, refusing every algorithm but RS256 and ES256
/// before any key is looked at (so `none` and HS256 with a public key as secret go nowhere).
fn peek_header(token: &str) -> Result<(Algorithm, Option<String>), OidcError> {
    let header = token.split('.').next().ok_or(OidcError::Malformed)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| OidcError::Malformed)?;
    let header: Map<String, Value> =
        serde_json::from_slice(&bytes).map_err(|_| OidcError::Malformed)?;
    let alg = match header.get("alg").and_then(Value::as_str) {
        Some("RS256") => Algorithm::RS256,
        Some("ES256") => Algorithm::ES256,
        _ => return Err(OidcError::Algorithm),
    };
    let kid = match header.get("kid") {
        None => None,
        Some(Value::String(kid)) => Some(kid.clone()),
        Some(_) => return Err(OidcError::Malformed),
    };
    Ok((alg, kid))
}

/// Checks the signature and the registered claims of a token whose header said `alg`; returns
/// its claims.
fn check(
    token: &str,
    key: &Key,
    issuer: &str,
    audience: &str,
) -> Result<Map<String, Value>, OidcError> {
    let mut validation = Validation::new(key.alg);
    validation.leeway = LEEWAY_SECS;
    validation.validate_nbf = true;
    validation.set_issuer(&[issuer]);
    validation.set_audience(&[audience]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, &validation)?;
    Ok(data.claims)
}

/// The groups a claim lists: an array of strings or a single string; `name` is tried whole,
/// then as a dotted path into nested objects.
pub fn groups_of(claims: &Map<String, Value>, name: &str) -> Vec<String> {
    let value = claims.get(name).or_else(|| {
        let mut parts = name.split('.');
        let first = claims.get(parts.next()?)?;
        parts.try_fold(first, |value, part| value.get(part))
    });
    match value {
        Some(Value::String(group)) => vec![group.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The bindings `mapping` grants to members of `groups`, each once.
pub fn bindings_for(groups: &[String], mapping: &[GroupBinding]) -> Vec<Binding> {
    let mut bindings: Vec<Binding> = Vec::new();
    for entry in mapping.iter().filter(|m| groups.contains(&m.group)) {
        if !bindings.contains(&entry.binding) {
            bindings.push(entry.binding.clone());
        }
    }
    bindings
}

/// When the keys were last read, to decide whether to read them again.
#[derive(Default)]
struct Cache {
    keys: Vec<Key>,
    loaded_at: Option<Instant>,
    tried_at: Option<Instant>,
}

impl Cache {
    /// Whether to read the JWKS now: never yet; or, no sooner than the cooldown after the last
    /// try, when the keys are older than `every` or lack the key the token needs.
    fn due(&self, now: Instant, key_known: bool, every: Duration) -> bool {
        let Some(tried_at) = self.tried_at else {
            return true;
        };
        if now.duration_since(tried_at) < every.min(UNKNOWN_KID_COOLDOWN) {
            return false;
        }
        !key_known
            || self
                .loaded_at
                .is_none_or(|at| now.duration_since(at) >= every)
    }
}

/// Verifies JWTs of the configured issuer, holding its keys between requests.
pub struct Verifier {
    issuer: String,
    audience: String,
    source: JwksSource,
    refresh_every: Duration,
    groups_claim: String,
    mapping: Vec<GroupBinding>,
    // Held across a read of the JWKS, so concurrent requests wait for one read instead of
    // starting their own; reads are rare (per the refresh interval and the cooldown).
    cache: Mutex<Cache>,
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Verifier {
    /// The verifier `settings` describe.
    pub fn new(settings: OidcSettings) -> Verifier {
        Verifier {
            issuer: settings.issuer,
            audience: settings.audience,
            source: settings.jwks,
            refresh_every: settings.jwks_refresh,
            groups_claim: settings.groups_claim,
            mapping: settings.bindings,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Verifies `token` and returns who it names and what its groups grant.
    pub async fn verify(&self, token: &str) -> Result<Identity, OidcError> {
        let (alg, kid) = peek_header(token)?;
        let key = self.key(alg, kid.as_deref()).await?;
        let claims = check(token, &key, &self.issuer, &self.audience)?;
        let subject = match claims.get("sub") {
            // The actor `oidc:<sub>` is stored with events: Postgres text cannot hold a NUL.
            Some(Value::String(sub)) if !sub.is_empty() && !sub.contains('\0') => sub.clone(),
            _ => return Err(OidcError::Claims),
        };
        let groups = groups_of(&claims, &self.groups_claim);
        let bindings = bindings_for(&groups, &self.mapping);
        Ok(Identity {
            subject,
            groups,
            bindings,
        })
    }

    /// Reads the JWKS now and returns how many usable keys it holds.
    pub async fn refresh(&self) -> Result<usize, String> {
        let mut cache = self.cache.lock().await;
        self.reload(&mut cache, Instant::now()).await
    }

    async fn key(&self, alg: Algorithm, kid: Option<&str>) -> Result<Key, OidcError> {
        let mut cache = self.cache.lock().await;
        let now = Instant::now();
        let known = select_key(&cache.keys, alg, kid).is_some();
        if cache.due(now, known, self.refresh_every)
            && let Err(err) = self.reload(&mut cache, now).await
        {
            // Keep verifying with the keys we have: the issuer may be down for a moment.
            tracing::warn!(jwks = %self.source, error = %err, "could not read the OIDC JWKS");
        }
        select_key(&cache.keys, alg, kid)
            .cloned()
            .ok_or(OidcError::UnknownKey)
    }

    async fn reload(&self, cache: &mut Cache, now: Instant) -> Result<usize, String> {
        cache.tried_at = Some(now);
        let bytes = match &self.source {
            JwksSource::File(path) => tokio::fs::read(path)
                .await
                .map(Bytes::from)
                .map_err(|err| err.to_string())?,
            JwksSource::Url(url) => fetch(url).await?,
        };
        let keys = usable_keys(&bytes)?;
        let count = keys.len();
        tracing::debug!(jwks = %self.source, keys = count, "OIDC JWKS read");
        cache.keys = keys;
        cache.loaded_at = Some(now);
        Ok(count)
    }
}

/// GETs a JWKS URL (HTTPS with the system's roots, or plain HTTP) within [`FETCH_TIMEOUT`].
async fn fetch(url: &str) -> Result<Bytes, String> {
    let uri: axum::http::Uri = url.parse().map_err(|err| format!("not a URL: {err}"))?;
    let work = async {
        if uri.scheme() == Some(&axum::http::uri::Scheme::HTTPS) {
            let https = hyper_rustls::HttpsConnectorBuilder::new()
                .with_provider_and_native_roots(rustls::crypto::aws_lc_rs::default_provider())
                .map_err(|err| format!("no TLS roots: {err}"))?
                .https_only()
                .enable_http1()
                .build();
            get(https, uri).await
        } else {
            get(HttpConnector::new(), uri).await
        }
    };
    tokio::time::timeout(FETCH_TIMEOUT, work)
        .await
        .map_err(|_| format!("no answer within {} s", FETCH_TIMEOUT.as_secs()))?
}

async fn get<C>(connector: C, uri: axum::http::Uri) -> Result<Bytes, String>
where
    C: Connect + Clone + Send + Sync + 'static,
{
    let client = Client::builder(TokioExecutor::new()).build::<_, Empty<Bytes>>(connector);
    let response = client.get(uri).await.map_err(|err| err.to_string())?;
    if !response.status().is_success() {
        return Err(format!("answered {}", response.status()));
    }
    let body = Limited::new(response.into_body(), MAX_JWKS_BYTES)
        .collect()
        .await
        .map_err(|err| err.to_string())?;
    Ok(body.to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    use aws_lc_rs::encoding::AsDer as _;
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair};
    use jsonwebtoken::jwk::JwkSet;
    use jsonwebtoken::{EncodingKey, Header};
    use serde_json::json;

    const ISSUER: &str = "https://issuer.test";
    const AUDIENCE: &str = "ccplane";

    fn rsa_key() -> EncodingKey {
        let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048).unwrap();
        let pkcs8 = pair.as_der().unwrap();
        // jsonwebtoken wants the bare RFC 8017 key: skip the PKCS#8 wrapper (2048-bit: 26 bytes,
        // ending in the OCTET STRING header `04 82 len len`).
        assert_eq!(pkcs8.as_ref()[22..24], [0x04, 0x82]);
        EncodingKey::from_rsa_der(&pkcs8.as_ref()[26..])
    }

    fn ec_key() -> EncodingKey {
        let pkcs8 =
            EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &SystemRandom::new())
                .unwrap();
        EncodingKey::from_ec_der(pkcs8.as_ref())
    }

    fn jwk(key: &EncodingKey, alg: Algorithm, kid: &str) -> Jwk {
        let mut jwk = Jwk::from_encoding_key(key, alg).unwrap();
        jwk.common.key_id = Some(kid.into());
        jwk
    }

    fn now() -> i64 {
        chrono::Utc::now().timestamp()
    }

    fn claims() -> Value {
        json!({"iss": ISSUER, "aud": AUDIENCE, "sub": "alice", "exp": now() + 600,
               "iat": now(), "groups": ["devs"]})
    }

    fn sign(key: &EncodingKey, alg: Algorithm, kid: Option<&str>, claims: &Value) -> String {
        let mut header = Header::new(alg);
        header.kid = kid.map(str::to_owned);
        jsonwebtoken::encode(&header, claims, key).unwrap()
    }

    /// Keys for RS256 (`rsa`) and ES256 (`ec`), and a verifier over a JWKS file holding both.
    struct Fixture {
        rsa: EncodingKey,
        ec: EncodingKey,
        verifier: Verifier,
        _dir: TempDir,
    }

    struct TempDir(PathBuf);

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn fixture() -> Fixture {
        let (rsa, ec) = (rsa_key(), ec_key());
        let set = JwkSet {
            keys: vec![
                jwk(&rsa, Algorithm::RS256, "rsa-1"),
                jwk(&ec, Algorithm::ES256, "ec-1"),
            ],
        };
        let dir = std::env::temp_dir().join(format!("ccplane-oidc-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("jwks.json");
        std::fs::write(&path, serde_json::to_vec(&set).unwrap()).unwrap();
        let settings = OidcSettings {
            issuer: ISSUER.into(),
            audience: AUDIENCE.into(),
            jwks: JwksSource::File(path),
            jwks_refresh: Duration::from_secs(300),
            groups_claim: "groups".into(),
            bindings: vec![GroupBinding::parse("devs=editor:team-a").unwrap()],
        };
        Fixture {
            rsa,
            ec,
            verifier: Verifier::new(settings),
            _dir: TempDir(dir),
        }
    }

    fn with(claims: Value, patch: Value) -> Value {
        let mut claims = claims;
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                claims.as_object_mut().unwrap().remove(k);
            } else {
                claims[k] = v.clone();
            }
        }
        claims
    }

    #[tokio::test]
    async fn good_rs256_and_es256_tokens_verify_and_map_groups_to_bindings() {
        let f = fixture();
        for (key, alg, kid) in [
            (&f.rsa, Algorithm::RS256, "rsa-1"),
            (&f.ec, Algorithm::ES256, "ec-1"),
        ] {
            let token = sign(key, alg, Some(kid), &claims());
            assert!(looks_like_jwt(&token));
            let identity = f.verifier.verify(&token).await.unwrap();
            assert_eq!(identity.subject, "alice");
            assert_eq!(identity.actor(), "oidc:alice");
            assert_eq!(
                identity.bindings,
                vec![Binding::parse("editor:team-a").unwrap()]
            );
        }
    }

    #[tokio::test]
    async fn expired_wrong_audience_wrong_issuer_and_missing_sub_are_refused() {
        let f = fixture();
        let cases = [
            (json!({"exp": now() - 120}), OidcError::Expired),
            (json!({"nbf": now() + 120}), OidcError::NotYetValid),
            (json!({"aud": "someone-else"}), OidcError::Audience),
            (json!({"aud": ["x", "y"]}), OidcError::Audience),
            (json!({"iss": "https://evil.test"}), OidcError::Issuer),
            (json!({"sub": null}), OidcError::MissingClaim("sub".into())),
            (json!({"exp": null}), OidcError::MissingClaim("exp".into())),
        ];
        for (patch, expected) in cases {
            let token = sign(
                &f.rsa,
                Algorithm::RS256,
                Some("rsa-1"),
                &with(claims(), patch.clone()),
            );
            assert_eq!(f.verifier.verify(&token).await, Err(expected), "{patch}");
        }
        // Within the leeway, an expiry just past still passes (clock skew).
        let token = sign(
            &f.rsa,
            Algorithm::RS256,
            Some("rsa-1"),
            &with(claims(), json!({"exp": now() - 5, "aud": ["x", AUDIENCE]})),
        );
        assert!(f.verifier.verify(&token).await.is_ok());
    }

    #[tokio::test]
    async fn a_tampered_token_or_another_keys_signature_is_refused() {
        let f = fixture();
        let token = sign(&f.rsa, Algorithm::RS256, Some("rsa-1"), &claims());
        let (head, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged_claims = with(claims(), json!({"sub": "mallory"}));
        let forged_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(serde_json::to_vec(&forged_claims).unwrap());
        let tampered = format!("{head}.{forged_payload}.{signature}");
        assert_eq!(
            f.verifier.verify(&tampered).await,
            Err(OidcError::Signature)
        );
        // Signed by a stranger's key under a kid the JWKS knows.
        let stranger = sign(&rsa_key(), Algorithm::RS256, Some("rsa-1"), &claims());
        assert_eq!(
            f.verifier.verify(&stranger).await,
            Err(OidcError::Signature)
        );
        // An ES256 header naming the RSA key's kid finds no ES256 key under that kid.
        let mixed = sign(&f.ec, Algorithm::ES256, Some("rsa-1"), &claims());
        assert_eq!(f.verifier.verify(&mixed).await, Err(OidcError::UnknownKey));
    }

    #[tokio::test]
    async fn alg_none_hs256_and_unknown_kids_are_refused() {
        let f = fixture();
        let b64 = |v: Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(serde_json::to_vec(&v).unwrap())
        };
        let unsigned = format!(
            "{}.{}.",
            b64(json!({"alg": "none", "kid": "rsa-1"})),
            b64(claims())
        );
        assert_eq!(
            f.verifier.verify(&unsigned).await,
            Err(OidcError::Algorithm)
        );
        let hmac = sign(
            &EncodingKey::from_secret(b"a shared secret"),
            Algorithm::HS256,
            Some("rsa-1"),
            &claims(),
        );
        assert_eq!(f.verifier.verify(&hmac).await, Err(OidcError::Algorithm));
        let rs384 = sign(&f.rsa, Algorithm::RS384, Some("rsa-1"), &claims());
        assert_eq!(f.verifier.verify(&rs384).await, Err(OidcError::Algorithm));
        let unknown = sign(&f.rsa, Algorithm::RS256, Some("rsa-2"), &claims());
        assert_eq!(
            f.verifier.verify(&unknown).await,
            Err(OidcError::UnknownKey)
        );
        // Without a kid, the only key of the token's algorithm is used.
        let no_kid = sign(&f.ec, Algorithm::ES256, None, &claims());
        assert!(f.verifier.verify(&no_kid).await.is_ok());
        assert_eq!(
            f.verifier.verify("not.a.jwt").await,
            Err(OidcError::Malformed)
        );
    }

    #[test]
    fn keys_for_other_uses_types_and_curves_are_skipped() {
        let rsa = rsa_key();
        let mut enc = jwk(&rsa, Algorithm::RS256, "enc");
        enc.common.public_key_use = Some(PublicKeyUse::Encryption);
        let ps = jwk(&rsa, Algorithm::PS256, "ps");
        let document = json!({"keys": [
            enc, ps, jwk(&rsa, Algorithm::RS256, "sig"),
            {"kty": "OKP", "crv": "X448", "x": "AAAA", "kid": "odd"},
            {"kty": "oct", "k": "c2VjcmV0", "kid": "hmac"},
        ]});
        let keys = usable_keys(&serde_json::to_vec(&document).unwrap()).unwrap();
        let kids: Vec<_> = keys.iter().map(|k| k.kid.as_deref().unwrap()).collect();
        assert_eq!(kids, ["sig"]);
        assert!(usable_keys(b"{}").is_err());
    }

    #[test]
    fn the_jwks_is_reread_when_stale_or_missing_a_key_but_not_more_often_than_the_cooldown() {
        let start = Instant::now();
        let every = Duration::from_secs(300);
        let secs = |n| start + Duration::from_secs(n);
        let mut cache = Cache::default();
        assert!(cache.due(start, false, every));
        cache.tried_at = Some(start);
        cache.loaded_at = Some(start);
        assert!(!cache.due(secs(5), true, every));
        assert!(
            !cache.due(secs(5), false, every),
            "unknown kid within cooldown"
        );
        assert!(
            cache.due(secs(11), false, every),
            "unknown kid after cooldown"
        );
        assert!(!cache.due(secs(299), true, every));
        assert!(cache.due(secs(300), true, every), "stale");
        // A failed read (tried, not loaded) is retried after the cooldown, not before.
        cache.tried_at = Some(secs(300));
        assert!(!cache.due(secs(305), true, every));
        assert!(cache.due(secs(311), true, every));
        // A refresh interval of 0 reads the keys for every token.
        assert!(cache.due(secs(300), true, Duration::ZERO));
    }

    #[test]
    fn groups_come_from_a_named_or_nested_claim_and_map_to_bindings_once() {
        let claims = json!({
            "groups": ["a", "b", 3], "single": "a",
            "realm_access": {"roles": ["b"]}, "https://x.test/groups": ["c"],
        });
        let claims = claims.as_object().unwrap();
        assert_eq!(groups_of(claims, "groups"), ["a", "b"]);
        assert_eq!(groups_of(claims, "single"), ["a"]);
        assert_eq!(groups_of(claims, "realm_access.roles"), ["b"]);
        assert_eq!(groups_of(claims, "https://x.test/groups"), ["c"]);
        assert!(groups_of(claims, "missing").is_empty());
        let mapping: Vec<GroupBinding> = ["a=viewer:*", "b=viewer:*", "x=y=admin:team-a"]
            .iter()
            .map(|m| GroupBinding::parse(m).unwrap())
            .collect();
        assert_eq!(mapping[2].group, "x=y");
        assert_eq!(
            bindings_for(&["a".into(), "b".into()], &mapping),
            vec![Binding::parse("viewer:*").unwrap()]
        );
        assert!(bindings_for(&["z".into()], &mapping).is_empty());
        assert!(GroupBinding::parse("=viewer:*").is_err());
        assert!(GroupBinding::parse("devs=owner:x").is_err());
    }

    #[test]
    fn jwks_locations_are_urls_or_files_and_jwts_are_told_from_api_tokens() {
        assert_eq!(
            JwksSource::parse("https://idp.test/jwks").unwrap(),
            JwksSource::Url("https://idp.test/jwks".into())
        );
        assert_eq!(
            JwksSource::parse("/etc/jwks.json").unwrap(),
            JwksSource::File("/etc/jwks.json".into())
        );
        assert!(looks_like_jwt("eyJh.eyJz.c2ln"));
        assert!(!looks_like_jwt("ccp_tok_abcdefghijkl_secret"));
        assert!(!looks_like_jwt("a.b"));
        assert!(!looks_like_jwt("a.b.c.d"));
    }
}
