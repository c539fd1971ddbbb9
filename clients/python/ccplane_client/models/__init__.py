"""Contains all the data models used in inputs/outputs"""

from .absence_data import AbsenceData
from .absence_reason_type_0 import AbsenceReasonType0
from .absence_reason_type_0_kind import AbsenceReasonType0Kind
from .absence_reason_type_1 import AbsenceReasonType1
from .absence_reason_type_1_kind import AbsenceReasonType1Kind
from .absence_refuted_event import AbsenceRefutedEvent
from .absence_suspected_event import AbsenceSuspectedEvent
from .account_data import AccountData
from .account_reachable_event import AccountReachableEvent
from .account_unreachable_event import AccountUnreachableEvent
from .added_client_secret import AddedClientSecret
from .adopt import Adopt
from .adopt_clients import AdoptClients
from .adopt_clients_labels_type_0 import AdoptClientsLabelsType0
from .adopt_clients_names_type_0 import AdoptClientsNamesType0
from .adopted import Adopted
from .adopted_client import AdoptedClient
from .adopted_event import AdoptedEvent
from .adoption_data import AdoptionData
from .binding import Binding
from .cancel_requested_event import CancelRequestedEvent
from .client_ref import ClientRef
from .client_secret import ClientSecret
from .client_secret_info import ClientSecretInfo
from .client_secrets import ClientSecrets
from .client_state import ClientState
from .clients_adopted_event import ClientsAdoptedEvent
from .condition import Condition
from .condition_changed_event import ConditionChangedEvent
from .condition_status import ConditionStatus
from .condition_type import ConditionType
from .created_token import CreatedToken
from .current_operation import CurrentOperation
from .deleted_event import DeletedEvent
from .deletion_policy import DeletionPolicy
from .deletion_request import DeletionRequest
from .deletion_requested_event import DeletionRequestedEvent
from .deliver_to import DeliverTo
from .discovered_client import DiscoveredClient
from .discovery import Discovery
from .discovery_data import DiscoveryData
from .discovery_error import DiscoveryError
from .discovery_failed_event import DiscoveryFailedEvent
from .discovery_finished_event import DiscoveryFinishedEvent
from .discovery_page import DiscoveryPage
from .discovery_phase import DiscoveryPhase
from .discovery_progress import DiscoveryProgress
from .discovery_progressed_event import DiscoveryProgressedEvent
from .discovery_started_event import DiscoveryStartedEvent
from .drift_coverage import DriftCoverage
from .drift_data import DriftData
from .drift_detected_event import DriftDetectedEvent
from .drift_policy import DriftPolicy
from .event_page import EventPage
from .failed_event import FailedEvent
from .failure_data import FailureData
from .forgotten_client import ForgottenClient
from .health import Health
from .in_sync_event import InSyncEvent
from .json_patch_op import JsonPatchOp
from .json_patch_operation import JsonPatchOperation
from .last_error import LastError
from .management_policy import ManagementPolicy
from .metadata import Metadata
from .namespace import Namespace
from .namespace_page import NamespacePage
from .namespace_settings import NamespaceSettings
from .new_discovery import NewDiscovery
from .new_token import NewToken
from .new_user_pool_client import NewUserPoolClient
from .new_user_pool_client_labels_type_0 import NewUserPoolClientLabelsType0
from .no_details import NoDetails
from .normalization import Normalization
from .normalized_event import NormalizedEvent
from .operation_cancelled_event import OperationCancelledEvent
from .operation_data import OperationData
from .operation_failed_event import OperationFailedEvent
from .operation_kind import OperationKind
from .operation_lost_event import OperationLostEvent
from .operation_resumed_event import OperationResumedEvent
from .operation_submitted_event import OperationSubmittedEvent
from .operation_succeeded_event import OperationSucceededEvent
from .phase import Phase
from .phase_changed_event import PhaseChangedEvent
from .phase_transition import PhaseTransition
from .plan import Plan
from .problem import Problem
from .property_change import PropertyChange
from .refresh_requested_event import RefreshRequestedEvent
from .replacement import Replacement
from .replacement_finished_event import ReplacementFinishedEvent
from .replacement_policy import ReplacementPolicy
from .replacement_started_event import ReplacementStartedEvent
from .retry_scheduled_event import RetryScheduledEvent
from .role import Role
from .rotated_secret_added_event import RotatedSecretAddedEvent
from .rotated_secret_retired_event import RotatedSecretRetiredEvent
from .rotation_data import RotationData
from .rotation_phase import RotationPhase
from .rotation_started_event import RotationStartedEvent
from .rotation_status import RotationStatus
from .secret_added_event import SecretAddedEvent
from .secret_delivered_event import SecretDeliveredEvent
from .secret_read_event import SecretReadEvent
from .secret_ref import SecretRef
from .secret_retired_event import SecretRetiredEvent
from .secret_rotation import SecretRotation
from .secret_rotation_patch import SecretRotationPatch
from .skipped_client import SkippedClient
from .spec_change import SpecChange
from .spec_changed_event import SpecChangedEvent
from .spec_created_event import SpecCreatedEvent
from .status import Status
from .token import Token
from .token_page import TokenPage
from .user_pool_client import UserPoolClient
from .user_pool_client_analytics_configuration import (
    UserPoolClientAnalyticsConfiguration,
)
from .user_pool_client_document import UserPoolClientDocument
from .user_pool_client_document_labels_type_0 import UserPoolClientDocumentLabelsType0
from .user_pool_client_labels import UserPoolClientLabels
from .user_pool_client_page import UserPoolClientPage
from .user_pool_client_patch import UserPoolClientPatch
from .user_pool_client_patch_labels_type_0 import UserPoolClientPatchLabelsType0
from .user_pool_client_properties import UserPoolClientProperties
from .user_pool_client_properties_allowed_o_auth_flows_item import (
    UserPoolClientPropertiesAllowedOAuthFlowsItem,
)
from .user_pool_client_properties_explicit_auth_flows_item import (
    UserPoolClientPropertiesExplicitAuthFlowsItem,
)
from .user_pool_client_properties_patch import UserPoolClientPropertiesPatch
from .user_pool_client_properties_patch_allowed_o_auth_flows_type_0_item import (
    UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item,
)
from .user_pool_client_properties_patch_explicit_auth_flows_type_0_item import (
    UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item,
)
from .user_pool_client_properties_patch_prevent_user_existence_errors_type_0 import (
    UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0,
)
from .user_pool_client_properties_prevent_user_existence_errors import (
    UserPoolClientPropertiesPreventUserExistenceErrors,
)
from .user_pool_client_refresh_token_rotation import UserPoolClientRefreshTokenRotation
from .user_pool_client_refresh_token_rotation_feature import (
    UserPoolClientRefreshTokenRotationFeature,
)
from .user_pool_client_token_validity_units import UserPoolClientTokenValidityUnits
from .user_pool_client_token_validity_units_access_token import (
    UserPoolClientTokenValidityUnitsAccessToken,
)
from .user_pool_client_token_validity_units_id_token import (
    UserPoolClientTokenValidityUnitsIdToken,
)
from .user_pool_client_token_validity_units_refresh_token import (
    UserPoolClientTokenValidityUnitsRefreshToken,
)
from .vanished_event import VanishedEvent
from .violation import Violation

__all__ = (
    "AbsenceData",
    "AbsenceReasonType0",
    "AbsenceReasonType0Kind",
    "AbsenceReasonType1",
    "AbsenceReasonType1Kind",
    "AbsenceRefutedEvent",
    "AbsenceSuspectedEvent",
    "AccountData",
    "AccountReachableEvent",
    "AccountUnreachableEvent",
    "AddedClientSecret",
    "Adopt",
    "AdoptClients",
    "AdoptClientsLabelsType0",
    "AdoptClientsNamesType0",
    "Adopted",
    "AdoptedClient",
    "AdoptedEvent",
    "AdoptionData",
    "Binding",
    "CancelRequestedEvent",
    "ClientRef",
    "ClientSecret",
    "ClientSecretInfo",
    "ClientSecrets",
    "ClientState",
    "ClientsAdoptedEvent",
    "Condition",
    "ConditionChangedEvent",
    "ConditionStatus",
    "ConditionType",
    "CreatedToken",
    "CurrentOperation",
    "DeletedEvent",
    "DeletionPolicy",
    "DeletionRequest",
    "DeletionRequestedEvent",
    "DeliverTo",
    "DiscoveredClient",
    "Discovery",
    "DiscoveryData",
    "DiscoveryError",
    "DiscoveryFailedEvent",
    "DiscoveryFinishedEvent",
    "DiscoveryPage",
    "DiscoveryPhase",
    "DiscoveryProgress",
    "DiscoveryProgressedEvent",
    "DiscoveryStartedEvent",
    "DriftCoverage",
    "DriftData",
    "DriftDetectedEvent",
    "DriftPolicy",
    "EventPage",
    "FailedEvent",
    "FailureData",
    "ForgottenClient",
    "Health",
    "InSyncEvent",
    "JsonPatchOp",
    "JsonPatchOperation",
    "LastError",
    "ManagementPolicy",
    "Metadata",
    "Namespace",
    "NamespacePage",
    "NamespaceSettings",
    "NewDiscovery",
    "NewToken",
    "NewUserPoolClient",
    "NewUserPoolClientLabelsType0",
    "NoDetails",
    "Normalization",
    "NormalizedEvent",
    "OperationCancelledEvent",
    "OperationData",
    "OperationFailedEvent",
    "OperationKind",
    "OperationLostEvent",
    "OperationResumedEvent",
    "OperationSubmittedEvent",
    "OperationSucceededEvent",
    "Phase",
    "PhaseChangedEvent",
    "PhaseTransition",
    "Plan",
    "Problem",
    "PropertyChange",
    "RefreshRequestedEvent",
    "Replacement",
    "ReplacementFinishedEvent",
    "ReplacementPolicy",
    "ReplacementStartedEvent",
    "RetryScheduledEvent",
    "Role",
    "RotatedSecretAddedEvent",
    "RotatedSecretRetiredEvent",
    "RotationData",
    "RotationPhase",
    "RotationStartedEvent",
    "RotationStatus",
    "SecretAddedEvent",
    "SecretDeliveredEvent",
    "SecretReadEvent",
    "SecretRef",
    "SecretRetiredEvent",
    "SecretRotation",
    "SecretRotationPatch",
    "SkippedClient",
    "SpecChange",
    "SpecChangedEvent",
    "SpecCreatedEvent",
    "Status",
    "Token",
    "TokenPage",
    "UserPoolClient",
    "UserPoolClientAnalyticsConfiguration",
    "UserPoolClientDocument",
    "UserPoolClientDocumentLabelsType0",
    "UserPoolClientLabels",
    "UserPoolClientPage",
    "UserPoolClientPatch",
    "UserPoolClientPatchLabelsType0",
    "UserPoolClientProperties",
    "UserPoolClientPropertiesAllowedOAuthFlowsItem",
    "UserPoolClientPropertiesExplicitAuthFlowsItem",
    "UserPoolClientPropertiesPatch",
    "UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item",
    "UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item",
    "UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0",
    "UserPoolClientPropertiesPreventUserExistenceErrors",
    "UserPoolClientRefreshTokenRotation",
    "UserPoolClientRefreshTokenRotationFeature",
    "UserPoolClientTokenValidityUnits",
    "UserPoolClientTokenValidityUnitsAccessToken",
    "UserPoolClientTokenValidityUnitsIdToken",
    "UserPoolClientTokenValidityUnitsRefreshToken",
    "VanishedEvent",
    "Violation",
)
