//! Who may do what: roles, the bindings that grant them, and what a caller's bindings add up to;
//! pure functions, no I/O.
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

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The namespace pattern of a binding that covers every namespace.
pub const ALL_NAMESPACES: &str = "*";

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
}
