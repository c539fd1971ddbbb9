"""Contains all the data models used in inputs/outputs"""

from .added_client_secret import AddedClientSecret
from .adopt import Adopt
from .binding import Binding
from .client_secret import ClientSecret
from .client_secret_info import ClientSecretInfo
from .client_secrets import ClientSecrets
from .condition import Condition
from .condition_status import ConditionStatus
from .condition_type import ConditionType
from .created_token import CreatedToken
from .current_operation import CurrentOperation
from .deletion_policy import DeletionPolicy
from .drift_coverage import DriftCoverage
from .drift_policy import DriftPolicy
from .event import Event
from .event_data import EventData
from .event_page import EventPage
from .health import Health
from .json_patch_op import JsonPatchOp
from .json_patch_operation import JsonPatchOperation
from .last_error import LastError
from .metadata import Metadata
from .namespace import Namespace
from .namespace_page import NamespacePage
from .namespace_settings import NamespaceSettings
from .new_token import NewToken
from .new_user_pool_client import NewUserPoolClient
from .new_user_pool_client_labels_type_0 import NewUserPoolClientLabelsType0
from .phase import Phase
from .phase_transition import PhaseTransition
from .plan import Plan
from .problem import Problem
from .property_change import PropertyChange
from .replacement_policy import ReplacementPolicy
from .role import Role
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
from .violation import Violation

__all__ = (
    "AddedClientSecret",
    "Adopt",
    "Binding",
    "ClientSecret",
    "ClientSecretInfo",
    "ClientSecrets",
    "Condition",
    "ConditionStatus",
    "ConditionType",
    "CreatedToken",
    "CurrentOperation",
    "DeletionPolicy",
    "DriftCoverage",
    "DriftPolicy",
    "Event",
    "EventData",
    "EventPage",
    "Health",
    "JsonPatchOp",
    "JsonPatchOperation",
    "LastError",
    "Metadata",
    "Namespace",
    "NamespacePage",
    "NamespaceSettings",
    "NewToken",
    "NewUserPoolClient",
    "NewUserPoolClientLabelsType0",
    "Phase",
    "PhaseTransition",
    "Plan",
    "Problem",
    "PropertyChange",
    "ReplacementPolicy",
    "Role",
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
    "Violation",
)
