from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.user_pool_client_properties_patch_allowed_o_auth_flows_type_0_item import (
    UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item,
)
from ..models.user_pool_client_properties_patch_explicit_auth_flows_type_0_item import (
    UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item,
)
from ..models.user_pool_client_properties_patch_prevent_user_existence_errors_type_0 import (
    UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0,
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


T = TypeVar("T", bound="UserPoolClientPropertiesPatch")


@_attrs_define
class UserPoolClientPropertiesPatch:
    """A merge patch of UserPoolClient properties: the properties to set, `null` to remove one.

    Attributes:
        client_name (None | str | Unset):
        explicit_auth_flows (list[UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item] | None | Unset):
        generate_secret (bool | None | Unset):
        read_attributes (list[str] | None | Unset):
        auth_session_validity (int | None | Unset):
        refresh_token_validity (int | None | Unset):
        access_token_validity (int | None | Unset):
        id_token_validity (int | None | Unset):
        token_validity_units (None | Unset | UserPoolClientTokenValidityUnits):
        refresh_token_rotation (None | Unset | UserPoolClientRefreshTokenRotation):
        user_pool_id (str | Unset):
        write_attributes (list[str] | None | Unset):
        allowed_o_auth_flows (list[UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item] | None | Unset):
        allowed_o_auth_flows_user_pool_client (bool | None | Unset):
        allowed_o_auth_scopes (list[str] | None | Unset):
        callback_ur_ls (list[str] | None | Unset):
        default_redirect_uri (None | str | Unset):
        logout_ur_ls (list[str] | None | Unset):
        supported_identity_providers (list[str] | None | Unset):
        analytics_configuration (None | Unset | UserPoolClientAnalyticsConfiguration):
        prevent_user_existence_errors (None | Unset | UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0):
        enable_token_revocation (bool | None | Unset):
        enable_propagate_additional_user_context_data (bool | None | Unset):
    """

    client_name: None | str | Unset = UNSET
    explicit_auth_flows: (
        list[UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item] | None | Unset
    ) = UNSET
    generate_secret: bool | None | Unset = UNSET
    read_attributes: list[str] | None | Unset = UNSET
    auth_session_validity: int | None | Unset = UNSET
    refresh_token_validity: int | None | Unset = UNSET
    access_token_validity: int | None | Unset = UNSET
    id_token_validity: int | None | Unset = UNSET
    token_validity_units: None | Unset | UserPoolClientTokenValidityUnits = UNSET
    refresh_token_rotation: None | Unset | UserPoolClientRefreshTokenRotation = UNSET
    user_pool_id: str | Unset = UNSET
    write_attributes: list[str] | None | Unset = UNSET
    allowed_o_auth_flows: (
        list[UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item] | None | Unset
    ) = UNSET
    allowed_o_auth_flows_user_pool_client: bool | None | Unset = UNSET
    allowed_o_auth_scopes: list[str] | None | Unset = UNSET
    callback_ur_ls: list[str] | None | Unset = UNSET
    default_redirect_uri: None | str | Unset = UNSET
    logout_ur_ls: list[str] | None | Unset = UNSET
    supported_identity_providers: list[str] | None | Unset = UNSET
    analytics_configuration: None | Unset | UserPoolClientAnalyticsConfiguration = UNSET
    prevent_user_existence_errors: (
        None | Unset | UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0
    ) = UNSET
    enable_token_revocation: bool | None | Unset = UNSET
    enable_propagate_additional_user_context_data: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.user_pool_client_analytics_configuration import (
            UserPoolClientAnalyticsConfiguration,
        )
        from ..models.user_pool_client_refresh_token_rotation import (
            UserPoolClientRefreshTokenRotation,
        )
        from ..models.user_pool_client_token_validity_units import (
            UserPoolClientTokenValidityUnits,
        )

        client_name: None | str | Unset
        if isinstance(self.client_name, Unset):
            client_name = UNSET
        else:
            client_name = self.client_name

        explicit_auth_flows: list[str] | None | Unset
        if isinstance(self.explicit_auth_flows, Unset):
            explicit_auth_flows = UNSET
        elif isinstance(self.explicit_auth_flows, list):
            explicit_auth_flows = []
            for explicit_auth_flows_type_0_item_data in self.explicit_auth_flows:
                explicit_auth_flows_type_0_item = (
                    explicit_auth_flows_type_0_item_data.value
                )
                explicit_auth_flows.append(explicit_auth_flows_type_0_item)

        else:
            explicit_auth_flows = self.explicit_auth_flows

        generate_secret: bool | None | Unset
        if isinstance(self.generate_secret, Unset):
            generate_secret = UNSET
        else:
            generate_secret = self.generate_secret

        read_attributes: list[str] | None | Unset
        if isinstance(self.read_attributes, Unset):
            read_attributes = UNSET
        elif isinstance(self.read_attributes, list):
            read_attributes = self.read_attributes

        else:
            read_attributes = self.read_attributes

        auth_session_validity: int | None | Unset
        if isinstance(self.auth_session_validity, Unset):
            auth_session_validity = UNSET
        else:
            auth_session_validity = self.auth_session_validity

        refresh_token_validity: int | None | Unset
        if isinstance(self.refresh_token_validity, Unset):
            refresh_token_validity = UNSET
        else:
            refresh_token_validity = self.refresh_token_validity

        access_token_validity: int | None | Unset
        if isinstance(self.access_token_validity, Unset):
            access_token_validity = UNSET
        else:
            access_token_validity = self.access_token_validity

        id_token_validity: int | None | Unset
        if isinstance(self.id_token_validity, Unset):
            id_token_validity = UNSET
        else:
            id_token_validity = self.id_token_validity

        token_validity_units: dict[str, Any] | None | Unset
        if isinstance(self.token_validity_units, Unset):
            token_validity_units = UNSET
        elif isinstance(self.token_validity_units, UserPoolClientTokenValidityUnits):
            token_validity_units = self.token_validity_units.to_dict()
        else:
            token_validity_units = self.token_validity_units

        refresh_token_rotation: dict[str, Any] | None | Unset
        if isinstance(self.refresh_token_rotation, Unset):
            refresh_token_rotation = UNSET
        elif isinstance(
            self.refresh_token_rotation, UserPoolClientRefreshTokenRotation
        ):
            refresh_token_rotation = self.refresh_token_rotation.to_dict()
        else:
            refresh_token_rotation = self.refresh_token_rotation

        user_pool_id = self.user_pool_id

        write_attributes: list[str] | None | Unset
        if isinstance(self.write_attributes, Unset):
            write_attributes = UNSET
        elif isinstance(self.write_attributes, list):
            write_attributes = self.write_attributes

        else:
            write_attributes = self.write_attributes

        allowed_o_auth_flows: list[str] | None | Unset
        if isinstance(self.allowed_o_auth_flows, Unset):
            allowed_o_auth_flows = UNSET
        elif isinstance(self.allowed_o_auth_flows, list):
            allowed_o_auth_flows = []
            for allowed_o_auth_flows_type_0_item_data in self.allowed_o_auth_flows:
                allowed_o_auth_flows_type_0_item = (
                    allowed_o_auth_flows_type_0_item_data.value
                )
                allowed_o_auth_flows.append(allowed_o_auth_flows_type_0_item)

        else:
            allowed_o_auth_flows = self.allowed_o_auth_flows

        allowed_o_auth_flows_user_pool_client: bool | None | Unset
        if isinstance(self.allowed_o_auth_flows_user_pool_client, Unset):
            allowed_o_auth_flows_user_pool_client = UNSET
        else:
            allowed_o_auth_flows_user_pool_client = (
                self.allowed_o_auth_flows_user_pool_client
            )

        allowed_o_auth_scopes: list[str] | None | Unset
        if isinstance(self.allowed_o_auth_scopes, Unset):
            allowed_o_auth_scopes = UNSET
        elif isinstance(self.allowed_o_auth_scopes, list):
            allowed_o_auth_scopes = self.allowed_o_auth_scopes

        else:
            allowed_o_auth_scopes = self.allowed_o_auth_scopes

        callback_ur_ls: list[str] | None | Unset
        if isinstance(self.callback_ur_ls, Unset):
            callback_ur_ls = UNSET
        elif isinstance(self.callback_ur_ls, list):
            callback_ur_ls = self.callback_ur_ls

        else:
            callback_ur_ls = self.callback_ur_ls

        default_redirect_uri: None | str | Unset
        if isinstance(self.default_redirect_uri, Unset):
            default_redirect_uri = UNSET
        else:
            default_redirect_uri = self.default_redirect_uri

        logout_ur_ls: list[str] | None | Unset
        if isinstance(self.logout_ur_ls, Unset):
            logout_ur_ls = UNSET
        elif isinstance(self.logout_ur_ls, list):
            logout_ur_ls = self.logout_ur_ls

        else:
            logout_ur_ls = self.logout_ur_ls

        supported_identity_providers: list[str] | None | Unset
        if isinstance(self.supported_identity_providers, Unset):
            supported_identity_providers = UNSET
        elif isinstance(self.supported_identity_providers, list):
            supported_identity_providers = self.supported_identity_providers

        else:
            supported_identity_providers = self.supported_identity_providers

        analytics_configuration: dict[str, Any] | None | Unset
        if isinstance(self.analytics_configuration, Unset):
            analytics_configuration = UNSET
        elif isinstance(
            self.analytics_configuration, UserPoolClientAnalyticsConfiguration
        ):
            analytics_configuration = self.analytics_configuration.to_dict()
        else:
            analytics_configuration = self.analytics_configuration

        prevent_user_existence_errors: None | str | Unset
        if isinstance(self.prevent_user_existence_errors, Unset):
            prevent_user_existence_errors = UNSET
        elif isinstance(
            self.prevent_user_existence_errors,
            UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0,
        ):
            prevent_user_existence_errors = self.prevent_user_existence_errors.value
        else:
            prevent_user_existence_errors = self.prevent_user_existence_errors

        enable_token_revocation: bool | None | Unset
        if isinstance(self.enable_token_revocation, Unset):
            enable_token_revocation = UNSET
        else:
            enable_token_revocation = self.enable_token_revocation

        enable_propagate_additional_user_context_data: bool | None | Unset
        if isinstance(self.enable_propagate_additional_user_context_data, Unset):
            enable_propagate_additional_user_context_data = UNSET
        else:
            enable_propagate_additional_user_context_data = (
                self.enable_propagate_additional_user_context_data
            )

        field_dict: dict[str, Any] = {}

        field_dict.update({})
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
        if user_pool_id is not UNSET:
            field_dict["UserPoolId"] = user_pool_id
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

        def _parse_client_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_name = _parse_client_name(d.pop("ClientName", UNSET))

        def _parse_explicit_auth_flows(
            data: object,
        ) -> (
            list[UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item] | None | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                explicit_auth_flows_type_0 = []
                _explicit_auth_flows_type_0 = data
                for explicit_auth_flows_type_0_item_data in _explicit_auth_flows_type_0:
                    explicit_auth_flows_type_0_item = (
                        UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item(
                            explicit_auth_flows_type_0_item_data
                        )
                    )

                    explicit_auth_flows_type_0.append(explicit_auth_flows_type_0_item)

                return explicit_auth_flows_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                list[UserPoolClientPropertiesPatchExplicitAuthFlowsType0Item]
                | None
                | Unset,
                data,
            )

        explicit_auth_flows = _parse_explicit_auth_flows(
            d.pop("ExplicitAuthFlows", UNSET)
        )

        def _parse_generate_secret(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        generate_secret = _parse_generate_secret(d.pop("GenerateSecret", UNSET))

        def _parse_read_attributes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                read_attributes_type_0 = cast(list[str], data)

                return read_attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        read_attributes = _parse_read_attributes(d.pop("ReadAttributes", UNSET))

        def _parse_auth_session_validity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        auth_session_validity = _parse_auth_session_validity(
            d.pop("AuthSessionValidity", UNSET)
        )

        def _parse_refresh_token_validity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        refresh_token_validity = _parse_refresh_token_validity(
            d.pop("RefreshTokenValidity", UNSET)
        )

        def _parse_access_token_validity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        access_token_validity = _parse_access_token_validity(
            d.pop("AccessTokenValidity", UNSET)
        )

        def _parse_id_token_validity(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id_token_validity = _parse_id_token_validity(d.pop("IdTokenValidity", UNSET))

        def _parse_token_validity_units(
            data: object,
        ) -> None | Unset | UserPoolClientTokenValidityUnits:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                token_validity_units_type_0 = (
                    UserPoolClientTokenValidityUnits.from_dict(data)
                )

                return token_validity_units_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserPoolClientTokenValidityUnits, data)

        token_validity_units = _parse_token_validity_units(
            d.pop("TokenValidityUnits", UNSET)
        )

        def _parse_refresh_token_rotation(
            data: object,
        ) -> None | Unset | UserPoolClientRefreshTokenRotation:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                refresh_token_rotation_type_0 = (
                    UserPoolClientRefreshTokenRotation.from_dict(data)
                )

                return refresh_token_rotation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserPoolClientRefreshTokenRotation, data)

        refresh_token_rotation = _parse_refresh_token_rotation(
            d.pop("RefreshTokenRotation", UNSET)
        )

        user_pool_id = d.pop("UserPoolId", UNSET)

        def _parse_write_attributes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                write_attributes_type_0 = cast(list[str], data)

                return write_attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        write_attributes = _parse_write_attributes(d.pop("WriteAttributes", UNSET))

        def _parse_allowed_o_auth_flows(
            data: object,
        ) -> (
            list[UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item] | None | Unset
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_o_auth_flows_type_0 = []
                _allowed_o_auth_flows_type_0 = data
                for (
                    allowed_o_auth_flows_type_0_item_data
                ) in _allowed_o_auth_flows_type_0:
                    allowed_o_auth_flows_type_0_item = (
                        UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item(
                            allowed_o_auth_flows_type_0_item_data
                        )
                    )

                    allowed_o_auth_flows_type_0.append(allowed_o_auth_flows_type_0_item)

                return allowed_o_auth_flows_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                list[UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item]
                | None
                | Unset,
                data,
            )

        allowed_o_auth_flows = _parse_allowed_o_auth_flows(
            d.pop("AllowedOAuthFlows", UNSET)
        )

        def _parse_allowed_o_auth_flows_user_pool_client(
            data: object,
        ) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        allowed_o_auth_flows_user_pool_client = (
            _parse_allowed_o_auth_flows_user_pool_client(
                d.pop("AllowedOAuthFlowsUserPoolClient", UNSET)
            )
        )

        def _parse_allowed_o_auth_scopes(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                allowed_o_auth_scopes_type_0 = cast(list[str], data)

                return allowed_o_auth_scopes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        allowed_o_auth_scopes = _parse_allowed_o_auth_scopes(
            d.pop("AllowedOAuthScopes", UNSET)
        )

        def _parse_callback_ur_ls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                callback_ur_ls_type_0 = cast(list[str], data)

                return callback_ur_ls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        callback_ur_ls = _parse_callback_ur_ls(d.pop("CallbackURLs", UNSET))

        def _parse_default_redirect_uri(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        default_redirect_uri = _parse_default_redirect_uri(
            d.pop("DefaultRedirectURI", UNSET)
        )

        def _parse_logout_ur_ls(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                logout_ur_ls_type_0 = cast(list[str], data)

                return logout_ur_ls_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        logout_ur_ls = _parse_logout_ur_ls(d.pop("LogoutURLs", UNSET))

        def _parse_supported_identity_providers(
            data: object,
        ) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                supported_identity_providers_type_0 = cast(list[str], data)

                return supported_identity_providers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        supported_identity_providers = _parse_supported_identity_providers(
            d.pop("SupportedIdentityProviders", UNSET)
        )

        def _parse_analytics_configuration(
            data: object,
        ) -> None | Unset | UserPoolClientAnalyticsConfiguration:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                analytics_configuration_type_0 = (
                    UserPoolClientAnalyticsConfiguration.from_dict(data)
                )

                return analytics_configuration_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserPoolClientAnalyticsConfiguration, data)

        analytics_configuration = _parse_analytics_configuration(
            d.pop("AnalyticsConfiguration", UNSET)
        )

        def _parse_prevent_user_existence_errors(
            data: object,
        ) -> (
            None | Unset | UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0
        ):
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                prevent_user_existence_errors_type_0 = (
                    UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0(data)
                )

                return prevent_user_existence_errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                None
                | Unset
                | UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0,
                data,
            )

        prevent_user_existence_errors = _parse_prevent_user_existence_errors(
            d.pop("PreventUserExistenceErrors", UNSET)
        )

        def _parse_enable_token_revocation(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enable_token_revocation = _parse_enable_token_revocation(
            d.pop("EnableTokenRevocation", UNSET)
        )

        def _parse_enable_propagate_additional_user_context_data(
            data: object,
        ) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        enable_propagate_additional_user_context_data = (
            _parse_enable_propagate_additional_user_context_data(
                d.pop("EnablePropagateAdditionalUserContextData", UNSET)
            )
        )

        user_pool_client_properties_patch = cls(
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
            user_pool_id=user_pool_id,
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
        )

        return user_pool_client_properties_patch
