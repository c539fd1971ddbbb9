from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="UserPoolClientAnalyticsConfiguration")


@_attrs_define
class UserPoolClientAnalyticsConfiguration:
    """
    Attributes:
        application_arn (str | Unset):
        application_id (str | Unset):
        external_id (str | Unset):
        role_arn (str | Unset):
        user_data_shared (bool | Unset):
    """

    application_arn: str | Unset = UNSET
    application_id: str | Unset = UNSET
    external_id: str | Unset = UNSET
    role_arn: str | Unset = UNSET
    user_data_shared: bool | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        application_arn = self.application_arn

        application_id = self.application_id

        external_id = self.external_id

        role_arn = self.role_arn

        user_data_shared = self.user_data_shared

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if application_arn is not UNSET:
            field_dict["ApplicationArn"] = application_arn
        if application_id is not UNSET:
            field_dict["ApplicationId"] = application_id
        if external_id is not UNSET:
            field_dict["ExternalId"] = external_id
        if role_arn is not UNSET:
            field_dict["RoleArn"] = role_arn
        if user_data_shared is not UNSET:
            field_dict["UserDataShared"] = user_data_shared

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        application_arn = d.pop("ApplicationArn", UNSET)

        application_id = d.pop("ApplicationId", UNSET)

        external_id = d.pop("ExternalId", UNSET)

        role_arn = d.pop("RoleArn", UNSET)

        user_data_shared = d.pop("UserDataShared", UNSET)

        user_pool_client_analytics_configuration = cls(
            application_arn=application_arn,
            application_id=application_id,
            external_id=external_id,
            role_arn=role_arn,
            user_data_shared=user_data_shared,
        )

        return user_pool_client_analytics_configuration
