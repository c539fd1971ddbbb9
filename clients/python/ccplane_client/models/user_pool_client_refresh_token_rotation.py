from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.user_pool_client_refresh_token_rotation_feature import (
    UserPoolClientRefreshTokenRotationFeature,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UserPoolClientRefreshTokenRotation")


@_attrs_define
class UserPoolClientRefreshTokenRotation:
    """
    Attributes:
        feature (UserPoolClientRefreshTokenRotationFeature | Unset):
        retry_grace_period_seconds (int | Unset):
    """

    feature: UserPoolClientRefreshTokenRotationFeature | Unset = UNSET
    retry_grace_period_seconds: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        feature: str | Unset = UNSET
        if not isinstance(self.feature, Unset):
            feature = self.feature.value

        retry_grace_period_seconds = self.retry_grace_period_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if feature is not UNSET:
            field_dict["Feature"] = feature
        if retry_grace_period_seconds is not UNSET:
            field_dict["RetryGracePeriodSeconds"] = retry_grace_period_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _feature = d.pop("Feature", UNSET)
        feature: UserPoolClientRefreshTokenRotationFeature | Unset
        if isinstance(_feature, Unset):
            feature = UNSET
        else:
            feature = UserPoolClientRefreshTokenRotationFeature(_feature)

        retry_grace_period_seconds = d.pop("RetryGracePeriodSeconds", UNSET)

        user_pool_client_refresh_token_rotation = cls(
            feature=feature,
            retry_grace_period_seconds=retry_grace_period_seconds,
        )

        user_pool_client_refresh_token_rotation.additional_properties = d
        return user_pool_client_refresh_token_rotation

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
