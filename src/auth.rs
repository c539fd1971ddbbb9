//! Who may do what: roles, bindings and API token secrets; pure functions, no I/O.
//!
//! Role lattice (a binding grants its role in one namespace, or in every namespace with `*`):
//!
//! | role            | implies                                 |
//! | --------------- | --------------------------------------- |
//! | `viewer`        | —                                       |
//! | `editor`        | `viewer`                                |
//! | `secret-reader` | — (reading a secret needs no document)  |
//! | `admin`         | every role; with `*`, tokens and namespaces |

use std::fmt;

use base64::Engine as _;
use rand::Rng as _;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq as _;
use utoipa::ToSchema;

/// The namespace pattern of a binding that covers every namespace.
pub const ALL_NAMESPACES: &str = "*";

/// The prefix of every token, so scanners and people recognise one.
pub const TOKEN_PREFIX: &str = "ccp_";

/// Random bytes in a token secret.
const SECRET_BYTES: usize = 32;

/// What a binding allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Read documents, status, events and namespace settings.
    Viewer,
    /// Viewer, plus write desired state, plan, refresh, cancel, pause and delete.
    Editor,
    /// Read `ClientSecret` (and nothing else).
    SecretReader,
    /// Everything in its namespaces; on `*` also tokens and namespace settings.
    Admin,
}

impl Role {
    /// Every role, weakest first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Editor, Role::SecretReader, Role::Admin];

    /// Whether holding `self` grants `wanted`.
    pub fn implies(self, wanted: Role) -> bool {
        self == wanted || self == Role::Admin || (self == Role::Editor && wanted == Role::Viewer)
    }

    /// The role's name as bindings spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::SecretReader => "secret-reader",
            Role::Admin => "admin",
        }
    }

    /// The role called `name`.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A role in a namespace (or `*`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Binding {
    /// The role granted.
    pub role: Role,
    /// A namespace (DNS label) or `*` for every namespace.
    #[schema(example = "team-a")]
    pub namespace: String,
}

impl Binding {
    /// Parses `role:namespace`, e.g. `editor:team-a` or `viewer:*`.
    pub fn parse(text: &str) -> Result<Binding, String> {
        let (role, namespace) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}` is not `role:namespace`"))?;
        let role = Role::parse(role).ok_or_else(|| {
            format!("`{role}` is not a role; expected viewer, editor, secret-reader or admin")
        })?;
        let binding = Binding {
            role,
            namespace: namespace.to_owned(),
        };
        binding.check()?;
        Ok(binding)
    }

    /// Checks that the namespace is `*` or a DNS label.
    pub fn check(&self) -> Result<(), String> {
        if self.namespace == ALL_NAMESPACES || crate::model::document::is_dns_label(&self.namespace)
        {
            Ok(())
        } else {
            Err(format!(
                "`{}` is neither `*` nor a namespace (DNS label)",
                self.namespace
            ))
        }
    }

    fn covers(&self, namespace: &str) -> bool {
        self.namespace == ALL_NAMESPACES || self.namespace == namespace
    }
}

/// How a request for a role in a namespace is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Granted.
    Allowed,
    /// The caller sees the namespace but its role is too weak (403).
    Forbidden,
    /// The caller has no binding in the namespace at all (404: names do not leak).
    Invisible,
}

/// The namespaces a caller may list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every namespace.
    All,
    /// Only these.
    Only(Vec<String>),
}

/// Everything a caller's bindings grant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grants {
    bindings: Vec<Binding>,
}

impl Grants {
    /// The grants of `bindings`.
    pub fn new(bindings: Vec<Binding>) -> Self {
        Grants { bindings }
    }

    /// Admin on every namespace.
    pub fn superuser() -> Self {
        Grants::new(vec![Binding {
            role: Role::Admin,
            namespace: ALL_NAMESPACES.into(),
        }])
    }

    /// The bindings.
    pub fn bindings(&self) -> &[Binding] {
        &self.bindings
    }

    /// Decides whether `role` is held in `namespace` (use `*` for the global admin APIs).
    pub fn check(&self, role: Role, namespace: &str) -> Access {
        let mut visible = false;
        for binding in &self.bindings {
            let covers = if namespace == ALL_NAMESPACES {
                binding.namespace == ALL_NAMESPACES
            } else {
                binding.covers(namespace)
            };
            if covers {
                if binding.role.implies(role) {
                    return Access::Allowed;
                }
                visible = true;
            }
        }
        if visible || namespace == ALL_NAMESPACES {
            Access::Forbidden
        } else {
            Access::Invisible
        }
    }

    /// The namespaces in which `role` is held.
    pub fn scope(&self, role: Role) -> Scope {
        let mut names = Vec::new();
        for binding in self.bindings.iter().filter(|b| b.role.implies(role)) {
            if binding.namespace == ALL_NAMESPACES {
                return Scope::All;
            }
            names.push(binding.namespace.clone());
        }
        names.sort();
        names.dedup();
        Scope::Only(names)
    }
}

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

/// Whether a namespace allowing `allowed` regions (empty: any) admits `region`.
pub fn region_allowed(allowed: &[String], region: &str) -> bool {
    allowed.is_empty() || allowed.iter().any(|r| r == region)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants(bindings: &[&str]) -> Grants {
        Grants::new(
            bindings
                .iter()
                .map(|b| Binding::parse(b).unwrap())
                .collect(),
        )
    }

    #[test]
    fn editor_implies_viewer_and_admin_implies_everything() {
        assert!(Role::Editor.implies(Role::Viewer));
        assert!(!Role::Editor.implies(Role::SecretReader));
        assert!(!Role::Viewer.implies(Role::Editor));
        assert!(!Role::SecretReader.implies(Role::Viewer));
        assert!(Role::ALL.iter().all(|r| Role::Admin.implies(*r)));
    }

    #[test]
    fn a_namespace_without_any_binding_is_invisible_and_a_weak_role_is_forbidden() {
        let g = grants(&["viewer:team-a", "secret-reader:team-b"]);
        assert_eq!(g.check(Role::Viewer, "team-a"), Access::Allowed);
        assert_eq!(g.check(Role::Editor, "team-a"), Access::Forbidden);
        assert_eq!(g.check(Role::Viewer, "team-b"), Access::Forbidden);
        assert_eq!(g.check(Role::SecretReader, "team-b"), Access::Allowed);
        assert_eq!(g.check(Role::Viewer, "team-c"), Access::Invisible);
    }

    #[test]
    fn global_admin_needs_a_star_binding() {
        assert_eq!(
            grants(&["admin:team-a"]).check(Role::Admin, ALL_NAMESPACES),
            Access::Forbidden
        );
        assert_eq!(
            grants(&["admin:*"]).check(Role::Admin, ALL_NAMESPACES),
            Access::Allowed
        );
        assert_eq!(
            grants(&["viewer:*"]).check(Role::Editor, "anything"),
            Access::Forbidden
        );
    }

    #[test]
    fn scope_lists_the_namespaces_a_role_is_held_in() {
        let g = grants(&["viewer:b", "editor:a", "secret-reader:c", "viewer:a"]);
        assert_eq!(
            g.scope(Role::Viewer),
            Scope::Only(vec!["a".into(), "b".into()])
        );
        assert_eq!(grants(&["admin:*"]).scope(Role::Viewer), Scope::All);
    }

    #[test]
    fn bindings_parse_from_role_colon_namespace() {
        assert_eq!(
            Binding::parse("secret-reader:*").unwrap().role,
            Role::SecretReader
        );
        assert!(Binding::parse("owner:team-a").is_err());
        assert!(Binding::parse("viewer:Team_A").is_err());
        assert!(Binding::parse("viewer").is_err());
    }

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

    #[test]
    fn an_empty_region_list_allows_any_region() {
        assert!(region_allowed(&[], "eu-west-1"));
        assert!(region_allowed(&["eu-west-1".into()], "eu-west-1"));
        assert!(!region_allowed(&["eu-west-1".into()], "us-east-1"));
    }
}
