from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.user_pool_client_token_validity_units_access_token import (
    UserPoolClientTokenValidityUnitsAccessToken,
)
from ..models.user_pool_client_token_validity_units_id_token import (
    UserPoolClientTokenValidityUnitsIdToken,
)
from ..models.user_pool_client_token_validity_units_refresh_token import (
    UserPoolClientTokenValidityUnitsRefreshToken,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserPoolClientTokenValidityUnits")


@_attrs_define
class UserPoolClientTokenValidityUnits:
    """
    Attributes:
        access_token (UserPoolClientTokenValidityUnitsAccessToken | Unset):
        id_token (UserPoolClientTokenValidityUnitsIdToken | Unset):
        refresh_token (UserPoolClientTokenValidityUnitsRefreshToken | Unset):
    """

    access_token: UserPoolClientTokenValidityUnitsAccessToken | Unset = UNSET
    id_token: UserPoolClientTokenValidityUnitsIdToken | Unset = UNSET
    refresh_token: UserPoolClientTokenValidityUnitsRefreshToken | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        access_token: str | Unset = UNSET
        if not isinstance(self.access_token, Unset):
            access_token = self.access_token.value

        id_token: str | Unset = UNSET
        if not isinstance(self.id_token, Unset):
            id_token = self.id_token.value

        refresh_token: str | Unset = UNSET
        if not isinstance(self.refresh_token, Unset):
            refresh_token = self.refresh_token.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if access_token is not UNSET:
            field_dict["AccessToken"] = access_token
        if id_token is not UNSET:
            field_dict["IdToken"] = id_token
        if refresh_token is not UNSET:
            field_dict["RefreshToken"] = refresh_token

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _access_token = d.pop("AccessToken", UNSET)
        access_token: UserPoolClientTokenValidityUnitsAccessToken | Unset
        if isinstance(_access_token, Unset):
            access_token = UNSET
        else:
            access_token = UserPoolClientTokenValidityUnitsAccessToken(_access_token)

        _id_token = d.pop("IdToken", UNSET)
        id_token: UserPoolClientTokenValidityUnitsIdToken | Unset
        if isinstance(_id_token, Unset):
            id_token = UNSET
        else:
            id_token = UserPoolClientTokenValidityUnitsIdToken(_id_token)

        _refresh_token = d.pop("RefreshToken", UNSET)
        refresh_token: UserPoolClientTokenValidityUnitsRefreshToken | Unset
        if isinstance(_refresh_token, Unset):
            refresh_token = UNSET
        else:
            refresh_token = UserPoolClientTokenValidityUnitsRefreshToken(_refresh_token)

        user_pool_client_token_validity_units = cls(
            access_token=access_token,
            id_token=id_token,
            refresh_token=refresh_token,
        )

        return user_pool_client_token_validity_units
