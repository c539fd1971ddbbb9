from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.user_pool_client_properties_allowed_o_auth_flows_item import (
    UserPoolClientPropertiesAllowedOAuthFlowsItem,
)
from ..models.user_pool_client_properties_explicit_auth_flows_item import (
    UserPoolClientPropertiesExplicitAuthFlowsItem,
)
from ..models.user_pool_client_properties_prevent_user_existence_errors import (
    UserPoolClientPropertiesPreventUserExistenceErrors,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.user_pool_client_analytics_configuration import (
        UserPoolClientAnalyticsConfiguration,
    )
    from ..models.user_pool_client_refresh_token_rotation import (
        UserPoolClientRefreshTokenRotation,
    )
    from ..models.user_pool_client_token_validity_units import (
        UserPoolClientTokenValidityUnits,
    )


T = TypeVar("T", bound="UserPoolClientProperties")


@_attrs_define
class UserPoolClientProperties:
    """AWS::Cognito::UserPoolClient properties, with CloudFormation's names.

    Attributes:
        user_pool_id (str):
        client_name (str | Unset):
        explicit_auth_flows (list[UserPoolClientPropertiesExplicitAuthFlowsItem] | Unset):
        generate_secret (bool | Unset):
        read_attributes (list[str] | Unset):
        auth_session_validity (int | Unset):
        refresh_token_validity (int | Unset):
        access_token_validity (int | Unset):
        id_token_validity (int | Unset):
        token_validity_units (UserPoolClientTokenValidityUnits | Unset):
        refresh_token_rotation (UserPoolClientRefreshTokenRotation | Unset):
        write_attributes (list[str] | Unset):
        allowed_o_auth_flows (list[UserPoolClientPropertiesAllowedOAuthFlowsItem] | Unset):
        allowed_o_auth_flows_user_pool_client (bool | Unset):
        allowed_o_auth_scopes (list[str] | Unset):
        callback_ur_ls (list[str] | Unset):
        default_redirect_uri (str | Unset):
        logout_ur_ls (list[str] | Unset):
        supported_identity_providers (list[str] | Unset):
        analytics_configuration (UserPoolClientAnalyticsConfiguration | Unset):
        prevent_user_existence_errors (UserPoolClientPropertiesPreventUserExistenceErrors | Unset):
        enable_token_revocation (bool | Unset):
        enable_propagate_additional_user_context_data (bool | Unset):
        name (str | Unset):
        client_secret (str | Unset):
        client_id (str | Unset):
    """

    user_pool_id: str
    client_name: str | Unset = UNSET
    explicit_auth_flows: list[UserPoolClientPropertiesExplicitAuthFlowsItem] | Unset = (
        UNSET
    )
    generate_secret: bool | Unset = UNSET
    read_attributes: list[str] | Unset = UNSET
    auth_session_validity: int | Unset = UNSET
    refresh_token_validity: int | Unset = UNSET
    access_token_validity: int | Unset = UNSET
    id_token_validity: int | Unset = UNSET
    token_validity_units: UserPoolClientTokenValidityUnits | Unset = UNSET
    refresh_token_rotation: UserPoolClientRefreshTokenRotation | Unset = UNSET
    write_attributes: list[str] | Unset = UNSET
    allowed_o_auth_flows: (
        list[UserPoolClientPropertiesAllowedOAuthFlowsItem] | Unset
    ) = UNSET
    allowed_o_auth_flows_user_pool_client: bool | Unset = UNSET
    allowed_o_auth_scopes: list[str] | Unset = UNSET
    callback_ur_ls: list[str] | Unset = UNSET
    default_redirect_uri: str | Unset = UNSET
    logout_ur_ls: list[str] | Unset = UNSET
    supported_identity_providers: list[str] | Unset = UNSET
    analytics_configuration: UserPoolClientAnalyticsConfiguration | Unset = UNSET
    prevent_user_existence_errors: (
        UserPoolClientPropertiesPreventUserExistenceErrors | Unset
    ) = UNSET
    enable_token_revocation: bool | Unset = UNSET
    enable_propagate_additional_user_context_data: bool | Unset = UNSET
    name: str | Unset = UNSET
    client_secret: str | Unset = UNSET
    client_id: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_pool_id = self.user_pool_id

        client_name = self.client_name

        explicit_auth_flows: list[str] | Unset = UNSET
        if not isinstance(self.explicit_auth_flows, Unset):
            explicit_auth_flows = []
            for explicit_auth_flows_item_data in self.explicit_auth_flows:
                explicit_auth_flows_item = explicit_auth_flows_item_data.value
                explicit_auth_flows.append(explicit_auth_flows_item)

        generate_secret = self.generate_secret

        read_attributes: list[str] | Unset = UNSET
        if not isinstance(self.read_attributes, Unset):
            read_attributes = self.read_attributes

        auth_session_validity = self.auth_session_validity

        refresh_token_validity = self.refresh_token_validity

        access_token_validity = self.access_token_validity

        id_token_validity = self.id_token_validity

        token_validity_units: dict[str, Any] | Unset = UNSET
        if not isinstance(self.token_validity_units, Unset):
            token_validity_units = self.token_validity_units.to_dict()

        refresh_token_rotation: dict[str, Any] | Unset = UNSET
        if not isinstance(self.refresh_token_rotation, Unset):
            refresh_token_rotation = self.refresh_token_rotation.to_dict()

        write_attributes: list[str] | Unset = UNSET
        if not isinstance(self.write_attributes, Unset):
            write_attributes = self.write_attributes

        allowed_o_auth_flows: list[str] | Unset = UNSET
        if not isinstance(self.allowed_o_auth_flows, Unset):
            allowed_o_auth_flows = []
            for allowed_o_auth_flows_item_data in self.allowed_o_auth_flows:
                allowed_o_auth_flows_item = allowed_o_auth_flows_item_data.value
                allowed_o_auth_flows.append(allowed_o_auth_flows_item)

        allowed_o_auth_flows_user_pool_client = (
            self.allowed_o_auth_flows_user_pool_client
        )

        allowed_o_auth_scopes: list[str] | Unset = UNSET
        if not isinstance(self.allowed_o_auth_scopes, Unset):
            allowed_o_auth_scopes = self.allowed_o_auth_scopes

        callback_ur_ls: list[str] | Unset = UNSET
        if not isinstance(self.callback_ur_ls, Unset):
            callback_ur_ls = self.callback_ur_ls

        default_redirect_uri = self.default_redirect_uri

        logout_ur_ls: list[str] | Unset = UNSET
        if not isinstance(self.logout_ur_ls, Unset):
            logout_ur_ls = self.logout_ur_ls

        supported_identity_providers: list[str] | Unset = UNSET
        if not isinstance(self.supported_identity_providers, Unset):
            supported_identity_providers = self.supported_identity_providers

        analytics_configuration: dict[str, Any] | Unset = UNSET
        if not isinstance(self.analytics_configuration, Unset):
            analytics_configuration = self.analytics_configuration.to_dict()

        prevent_user_existence_errors: str | Unset = UNSET
        if not isinstance(self.prevent_user_existence_errors, Unset):
            prevent_user_existence_errors = self.prevent_user_existence_errors.value

        enable_token_revocation = self.enable_token_revocation

        enable_propagate_additional_user_context_data = (
            self.enable_propagate_additional_user_context_data
        )

        name = self.name

        client_secret = self.client_secret

        client_id = self.client_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "UserPoolId": user_pool_id,
            }
        )
        if client_name is not UNSET:
            field_dict["ClientName"] = client_name
        if explicit_auth_flows is not UNSET:
            field_dict["ExplicitAuthFlows"] = explicit_auth_flows
        if generate_secret is not UNSET:
            field_dict["GenerateSecret"] = generate_secret
        if read_attributes is not UNSET:
            field_dict["ReadAttributes"] = read_attributes
        if auth_session_validity is not UNSET:
            field_dict["AuthSessionValidity"] = auth_session_validity
        if refresh_token_validity is not UNSET:
            field_dict["RefreshTokenValidity"] = refresh_token_validity
        if access_token_validity is not UNSET:
            field_dict["AccessTokenValidity"] = access_token_validity
        if id_token_validity is not UNSET:
            field_dict["IdTokenValidity"] = id_token_validity
        if token_validity_units is not UNSET:
            field_dict["TokenValidityUnits"] = token_validity_units
        if refresh_token_rotation is not UNSET:
            field_dict["RefreshTokenRotation"] = refresh_token_rotation
        if write_attributes is not UNSET:
            field_dict["WriteAttributes"] = write_attributes
        if allowed_o_auth_flows is not UNSET:
            field_dict["AllowedOAuthFlows"] = allowed_o_auth_flows
        if allowed_o_auth_flows_user_pool_client is not UNSET:
            field_dict["AllowedOAuthFlowsUserPoolClient"] = (
                allowed_o_auth_flows_user_pool_client
            )
        if allowed_o_auth_scopes is not UNSET:
            field_dict["AllowedOAuthScopes"] = allowed_o_auth_scopes
        if callback_ur_ls is not UNSET:
            field_dict["CallbackURLs"] = callback_ur_ls
        if default_redirect_uri is not UNSET:
            field_dict["DefaultRedirectURI"] = default_redirect_uri
        if logout_ur_ls is not UNSET:
            field_dict["LogoutURLs"] = logout_ur_ls
        if supported_identity_providers is not UNSET:
            field_dict["SupportedIdentityProviders"] = supported_identity_providers
        if analytics_configuration is not UNSET:
            field_dict["AnalyticsConfiguration"] = analytics_configuration
        if prevent_user_existence_errors is not UNSET:
            field_dict["PreventUserExistenceErrors"] = prevent_user_existence_errors
        if enable_token_revocation is not UNSET:
            field_dict["EnableTokenRevocation"] = enable_token_revocation
        if enable_propagate_additional_user_context_data is not UNSET:
            field_dict["EnablePropagateAdditionalUserContextData"] = (
                enable_propagate_additional_user_context_data
            )
        if name is not UNSET:
            field_dict["Name"] = name
        if client_secret is not UNSET:
            field_dict["ClientSecret"] = client_secret
        if client_id is not UNSET:
            field_dict["ClientId"] = client_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.user_pool_client_analytics_configuration import (
            UserPoolClientAnalyticsConfiguration,
        )
        from ..models.user_pool_client_refresh_token_rotation import (
            UserPoolClientRefreshTokenRotation,
        )
        from ..models.user_pool_client_token_validity_units import (
            UserPoolClientTokenValidityUnits,
        )

        d = dict(src_dict)
        user_pool_id = d.pop("UserPoolId")

        client_name = d.pop("ClientName", UNSET)

        _explicit_auth_flows = d.pop("ExplicitAuthFlows", UNSET)
        explicit_auth_flows: (
            list[UserPoolClientPropertiesExplicitAuthFlowsItem] | Unset
        ) = UNSET
        if _explicit_auth_flows is not UNSET:
            explicit_auth_flows = []
            for explicit_auth_flows_item_data in _explicit_auth_flows:
                explicit_auth_flows_item = (
                    UserPoolClientPropertiesExplicitAuthFlowsItem(
                        explicit_auth_flows_item_data
                    )
                )

                explicit_auth_flows.append(explicit_auth_flows_item)

        generate_secret = d.pop("GenerateSecret", UNSET)

        read_attributes = cast(list[str], d.pop("ReadAttributes", UNSET))

        auth_session_validity = d.pop("AuthSessionValidity", UNSET)

        refresh_token_validity = d.pop("RefreshTokenValidity", UNSET)

        access_token_validity = d.pop("AccessTokenValidity", UNSET)

        id_token_validity = d.pop("IdTokenValidity", UNSET)

        _token_validity_units = d.pop("TokenValidityUnits", UNSET)
        token_validity_units: UserPoolClientTokenValidityUnits | Unset
        if isinstance(_token_validity_units, Unset):
            token_validity_units = UNSET
        else:
            token_validity_units = UserPoolClientTokenValidityUnits.from_dict(
                _token_validity_units
            )

        _refresh_token_rotation = d.pop("RefreshTokenRotation", UNSET)
        refresh_token_rotation: UserPoolClientRefreshTokenRotation | Unset
        if isinstance(_refresh_token_rotation, Unset):
            refresh_token_rotation = UNSET
        else:
            refresh_token_rotation = UserPoolClientRefreshTokenRotation.from_dict(
                _refresh_token_rotation
            )

        write_attributes = cast(list[str], d.pop("WriteAttributes", UNSET))

        _allowed_o_auth_flows = d.pop("AllowedOAuthFlows", UNSET)
        allowed_o_auth_flows: (
            list[UserPoolClientPropertiesAllowedOAuthFlowsItem] | Unset
        ) = UNSET
        if _allowed_o_auth_flows is not UNSET:
            allowed_o_auth_flows = []
            for allowed_o_auth_flows_item_data in _allowed_o_auth_flows:
                allowed_o_auth_flows_item = (
                    UserPoolClientPropertiesAllowedOAuthFlowsItem(
                        allowed_o_auth_flows_item_data
                    )
                )

                allowed_o_auth_flows.append(allowed_o_auth_flows_item)

        allowed_o_auth_flows_user_pool_client = d.pop(
            "AllowedOAuthFlowsUserPoolClient", UNSET
        )

        allowed_o_auth_scopes = cast(list[str], d.pop("AllowedOAuthScopes", UNSET))

        callback_ur_ls = cast(list[str], d.pop("CallbackURLs", UNSET))

        default_redirect_uri = d.pop("DefaultRedirectURI", UNSET)

        logout_ur_ls = cast(list[str], d.pop("LogoutURLs", UNSET))

        supported_identity_providers = cast(
            list[str], d.pop("SupportedIdentityProviders", UNSET)
        )

        _analytics_configuration = d.pop("AnalyticsConfiguration", UNSET)
        analytics_configuration: UserPoolClientAnalyticsConfiguration | Unset
        if isinstance(_analytics_configuration, Unset):
            analytics_configuration = UNSET
        else:
            analytics_configuration = UserPoolClientAnalyticsConfiguration.from_dict(
                _analytics_configuration
            )

        _prevent_user_existence_errors = d.pop("PreventUserExistenceErrors", UNSET)
        prevent_user_existence_errors: (
            UserPoolClientPropertiesPreventUserExistenceErrors | Unset
        )
        if isinstance(_prevent_user_existence_errors, Unset):
            prevent_user_existence_errors = UNSET
        else:
            prevent_user_existence_errors = (
                UserPoolClientPropertiesPreventUserExistenceErrors(
                    _prevent_user_existence_errors
                )
            )

        enable_token_revocation = d.pop("EnableTokenRevocation", UNSET)

        enable_propagate_additional_user_context_data = d.pop(
            "EnablePropagateAdditionalUserContextData", UNSET
        )

        name = d.pop("Name", UNSET)

        client_secret = d.pop("ClientSecret", UNSET)

        client_id = d.pop("ClientId", UNSET)

        user_pool_client_properties = cls(
            user_pool_id=user_pool_id,
            client_name=client_name,
            explicit_auth_flows=explicit_auth_flows,
            generate_secret=generate_secret,
            read_attributes=read_attributes,
            auth_session_validity=auth_session_validity,
            refresh_token_validity=refresh_token_validity,
            access_token_validity=access_token_validity,
            id_token_validity=id_token_validity,
            token_validity_units=token_validity_units,
            refresh_token_rotation=refresh_token_rotation,
            write_attributes=write_attributes,
            allowed_o_auth_flows=allowed_o_auth_flows,
            allowed_o_auth_flows_user_pool_client=allowed_o_auth_flows_user_pool_client,
            allowed_o_auth_scopes=allowed_o_auth_scopes,
            callback_ur_ls=callback_ur_ls,
            default_redirect_uri=default_redirect_uri,
            logout_ur_ls=logout_ur_ls,
            supported_identity_providers=supported_identity_providers,
            analytics_configuration=analytics_configuration,
            prevent_user_existence_errors=prevent_user_existence_errors,
            enable_token_revocation=enable_token_revocation,
            enable_propagate_additional_user_context_data=enable_propagate_additional_user_context_data,
            name=name,
            client_secret=client_secret,
            client_id=client_id,
        )

        return user_pool_client_properties
