//! Every kind of event a resource's timeline holds, declared once with the typed data it carries;
//! the store writes `kind()` and `to_value()`, and the OpenAPI document is generated from here.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::{ArrayBuilder, Ref, RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};
use uuid::Uuid;

use super::decision::Normalization;
use super::diff::FieldChange;
use super::discovery::{AdoptionData, DiscoveryData};
use super::document::ReplacementPolicy;
use super::operation::OperationKind;
use super::status::{Condition, Phase};

/// Declares `EventKind` and `EventData` from one list of `Kind(Data)`, so the two cannot drift.
macro_rules! events {
    ($($(#[doc = $doc:literal])+ $kind:ident($data:ty),)+) => {
        /// What happened to a resource: an event's `kind`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        pub enum EventKind {
            $($(#[doc = $doc])+ $kind,)+
        }

        impl EventKind {
            /// Every kind, in declaration order.
            pub const ALL: &[EventKind] = &[$(EventKind::$kind),+];

            /// The name as stored and as the API shows it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventKind::$kind => stringify!($kind),)+
                }
            }

            /// The name of the schema of this kind's data.
            pub fn data_schema_name(self) -> String {
                match self {
                    $(EventKind::$kind => <$data as ToSchema>::name().into_owned(),)+
                }
            }
        }

        /// An event: its kind with its data.
        #[derive(Debug, Clone, PartialEq)]
        pub enum EventData {
            $($(#[doc = $doc])+ $kind($data),)+
        }

        impl EventData {
            /// Its kind.
            pub fn kind(&self) -> EventKind {
                match self {
                    $(EventData::$kind(_) => EventKind::$kind,)+
                }
            }

            /// Its data as stored in `events.data` and sent by the API.
            pub fn to_value(&self) -> Value {
                let value = match self {
                    $(EventData::$kind(data) => serde_json::to_value(data),)+
                };
                value.expect("event data serialises")
            }
        }

        /// The schemas of every kind's data and of what they refer to, each once.
        pub fn data_schemas() -> Vec<(String, RefOr<Schema>)> {
            let mut schemas: Vec<(String, RefOr<Schema>)> = Vec::new();
            $(
                schemas.push((<$data as ToSchema>::name().into_owned(), <$data as PartialSchema>::schema()));
                <$data as ToSchema>::schemas(&mut schemas);
            )+
            let mut seen = std::collections::HashSet::new();
            schemas.retain(|(name, _)| seen.insert(name.clone()));
            schemas
        }
    };
}

events! {
    /// A user created the desired state.
    SpecCreated(SpecChange),
    /// A user changed the desired state.
    SpecChanged(SpecChange),
    /// A user asked for the resource to be deleted.
    DeletionRequested(DeletionRequest),
    /// A user asked for a check against AWS.
    RefreshRequested(NoDetails),
    /// A user asked to cancel the operation in flight.
    CancelRequested(NoDetails),
    /// A user read the client secret (never recorded).
    SecretRead(NoDetails),
    /// A user added a secret to the client (its value answered once, never recorded).
    SecretAdded(SecretRef),
    /// A user retired one of the client's secrets.
    SecretRetired(SecretRef),
    /// A scheduled rotation began: the next secret will be delivered to the target.
    RotationStarted(RotationData),
    /// A rotated secret was given to the client, beside the old one.
    RotatedSecretAdded(RotationData),
    /// The rotated secret is current in Secrets Manager: consumers read it from now on.
    SecretDelivered(RotationData),
    /// After the overlap, the rotated-out secret was retired.
    RotatedSecretRetired(RotationData),
    /// The phase changed.
    PhaseChanged(PhaseTransition),
    /// A condition changed its status or reason.
    ConditionChanged(Condition),
    /// The resource was forgotten: its client deleted, retained, or never made.
    Deleted(ForgottenClient),
    /// Cloud Control accepted a request.
    OperationSubmitted(OperationData),
    /// A re-sent request turned out to be accepted already; the reconciler follows it.
    OperationResumed(OperationData),
    /// A request succeeded.
    OperationSucceeded(OperationData),
    /// A request was refused or failed.
    OperationFailed(OperationData),
    /// A request was cancelled.
    OperationCancelled(OperationData),
    /// A request can no longer be followed.
    OperationLost(OperationData),
    /// A failure will be retried after a backoff.
    RetryScheduled(FailureData),
    /// A failure is terminal: nothing is retried until the desired state changes or a refresh.
    Failed(FailureData),
    /// An existing client was taken over.
    Adopted(ClientRef),
    /// The live client already matched the desired state.
    InSync(ClientRef),
    /// The live client differs from the desired state.
    DriftDetected(DriftData),
    /// Cognito stores a property differently from what was sent.
    Normalized(Normalization),
    /// Cloud Control says the client does not exist; being confirmed.
    AbsenceSuspected(AbsenceData),
    /// The client exists after all.
    AbsenceRefuted(ClientRef),
    /// The client is confirmed gone.
    Vanished(ClientRef),
    /// A replacement of the client began.
    ReplacementStarted(Replacement),
    /// A replacement of the client finished: the old one is deleted.
    ReplacementFinished(Replacement),
    /// The namespace's role could not be assumed.
    AccountUnreachable(AccountData),
    /// The namespace's role could be assumed again.
    AccountReachable(AccountData),
    /// A user started a discovery of a user pool (on the timeline `discoveries/<id>`).
    DiscoveryStarted(DiscoveryData),
    /// A discovery listed a page of the pool or read some of its clients.
    DiscoveryProgressed(DiscoveryData),
    /// A discovery listed and read every client of the pool.
    DiscoveryFinished(DiscoveryData),
    /// A discovery could not list the pool.
    DiscoveryFailed(DiscoveryData),
    /// A user adopted clients from a discovery, each as a resource of its own.
    ClientsAdopted(AdoptionData),
}

/// The document fields a user's write changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SpecChange {
    /// JSON Pointers of the document fields that changed (none on a create).
    pub changed_fields: Vec<String>,
}

/// A deletion request, with the phase it moved the resource to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeletionRequest {
    /// The change of phase.
    pub phase: PhaseTransition,
}

/// Nothing beyond the kind and the actor.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NoDetails {}

/// One of a client's secrets, by Cognito's id (never its value).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SecretRef {
    /// Cognito's id of the secret (`<client-id>--<epoch>`).
    pub secret_id: String,
}

/// A step of a scheduled rotation: which secrets, and where the value goes. Never the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RotationData {
    /// The Secrets Manager secret the value is delivered to.
    pub secret_arn: String,
    /// The Secrets Manager version that holds the new value.
    pub version_id: String,
    /// The Cognito secret being rotated out.
    pub previous_secret_id: String,
    /// The Cognito secret that holds the new value, once given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_secret_id: Option<String>,
}

/// A change of phase.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PhaseTransition {
    /// The phase before.
    pub from: Phase,
    /// The phase after.
    pub to: Phase,
}

/// The client a forgotten resource had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ForgottenClient {
    /// Its Cloud Control identifier `UserPoolId|ClientId`; null when no client existed.
    pub identifier: Option<String>,
}

/// The client an event is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientRef {
    /// Its Cloud Control identifier `UserPoolId|ClientId`.
    pub identifier: String,
}

impl ClientRef {
    /// The client `identifier`.
    pub fn of(identifier: &str) -> Self {
        ClientRef {
            identifier: identifier.to_owned(),
        }
    }
}

/// A Cloud Control request and what became of it. Each kind carries the fields it knows; a field
/// whose value is unknown is `null` or absent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OperationData {
    /// ccplane's id of the operation; absent for a create found failed only after it was closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub operation: Option<Uuid>,
    /// The operation's kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub kind: Option<OperationKind>,
    /// The ClientToken sent with every attempt of the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub client_token: Option<String>,
    /// Cloud Control's RequestToken; null when it never acknowledged the request.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub request_token: Option<Option<String>>,
    /// The Cloud Control identifier `UserPoolId|ClientId` acted on; null when not known yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub identifier: Option<Option<String>>,
    /// Cloud Control's error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_code: Option<String>,
}

impl OperationData {
    /// About operation `operation` of `kind`, with no other field.
    pub fn of(operation: Uuid, kind: OperationKind) -> Self {
        OperationData {
            operation: Some(operation),
            kind: Some(kind),
            ..OperationData::default()
        }
    }
}

/// An error the reconciler met, outside or inside an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FailureData {
    /// Cloud Control's (or STS's) error code.
    pub error_code: String,
    /// Cloud Control's RequestToken of the request that failed; null outside one.
    pub request_token: Option<String>,
    /// The kind of the operation that failed; absent when none did.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub kind: Option<OperationKind>,
    /// The attempt that failed (RetryScheduled).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub attempt: Option<i32>,
}

/// The differences a drift check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DriftData {
    /// The properties found different.
    #[schema(schema_with = property_changes)]
    pub changes: Vec<FieldChange>,
    /// The Cloud Control identifier `UserPoolId|ClientId` of the client checked.
    pub identifier: String,
}

/// `PropertyChange` (the API's name for a `FieldChange`, declared beside `POST …/plan`).
fn property_changes() -> ArrayBuilder {
    ArrayBuilder::new()
        .items(Ref::from_schema_name("PropertyChange"))
        .description(Some("The properties found different."))
}

/// A doubt about a client's existence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AbsenceData {
    /// The Cloud Control identifier `UserPoolId|ClientId` of the client in doubt.
    pub identifier: String,
    /// Why it is in doubt.
    pub reason: AbsenceReason,
}

/// Why a client's existence is in doubt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum AbsenceReason {
    /// `GetResource` or `UpdateResource` answered NotFound for a client ccplane manages.
    NotFound,
    /// A create settled `FAILED` or `CANCEL_COMPLETE` naming this identifier: it may have made the
    /// client. `error` is the create's error (none when it was cancelled).
    UnfinishedCreate {
        /// The create's operation.
        operation: Uuid,
        /// Its RequestToken.
        request_token: String,
        /// The HandlerErrorCode it failed with, if it failed.
        error_code: Option<String>,
        /// Cloud Control's message.
        message: Option<String>,
    },
}

/// A replacement of the client: how it starts (create before delete) or the old client deleted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    /// The identifier of the old client, once deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub deleted: Option<String>,
    /// The create-only properties whose change forces the replacement.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub fields: Option<Vec<String>>,
    /// The replacement policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub policy: Option<ReplacementPolicy>,
    /// The identifier of the client being replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub identifier: Option<String>,
}

impl Replacement {
    /// The old client `identifier` is deleted.
    pub fn deleted(identifier: &str) -> Self {
        Replacement {
            deleted: Some(identifier.to_owned()),
            ..Replacement::default()
        }
    }
}

/// The namespace's account, reached through its role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountData {
    /// STS's error code (AccountUnreachable).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub error_code: Option<String>,
    /// The role assumed; null when the namespace names none.
    pub assume_role_arn: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kinds_are_named_as_stored() {
        let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(names.len(), 39);
        for kind in EventKind::ALL {
            assert_eq!(json!(kind), json!(kind.as_str()));
        }
    }

    #[test]
    fn operation_data_keeps_null_apart_from_absent() {
        let data = EventData::OperationLost(OperationData {
            operation: Some(Uuid::nil()),
            request_token: Some(None),
            error_code: Some("NotFound".into()),
            ..OperationData::default()
        });
        assert_eq!(data.kind().as_str(), "OperationLost");
        assert_eq!(
            data.to_value(),
            json!({"operation": Uuid::nil(), "requestToken": null, "errorCode": "NotFound"})
        );
    }

    #[test]
    fn empty_data_is_an_empty_object() {
        assert_eq!(EventData::SecretRead(NoDetails {}).to_value(), json!({}));
    }
}
