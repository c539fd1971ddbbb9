from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NamespaceSettings")


@_attrs_define
class NamespaceSettings:
    """The body of `PUT /v1/namespaces/{namespace}`.

    Attributes:
        allowed_regions (list[str] | Unset): Regions its documents may name; empty or absent means any. Example: ['eu-
            west-1'].
        role_arn (None | str | Unset): An IAM role ARN passed to Cloud Control as `RoleArn` for this namespace's
            operations: the
            role its handler runs with inside the namespace's account. Example: arn:aws:iam::123456789012:role/ccplane-
            team-a.
        assume_role_arn (None | str | Unset): An IAM role in another AWS account that ccplane assumes (`sts:AssumeRole`
            with its own
            credentials, session `ccplane-<namespace>`) to manage this namespace's clients there. Example:
            arn:aws:iam::210987654321:role/ccplane-manager.
        external_id (None | str | Unset): The external ID the assumed role's trust policy asks for (needs
            `assumeRoleArn`).
        scheduling_weight (float | Unset): The namespace's share of every budget relative to other busy namespaces, 0.01
            to 100. Default: 1.0.
    """

    allowed_regions: list[str] | Unset = UNSET
    role_arn: None | str | Unset = UNSET
    assume_role_arn: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    scheduling_weight: float | Unset = 1.0

    def to_dict(self) -> dict[str, Any]:
        allowed_regions: list[str] | Unset = UNSET
        if not isinstance(self.allowed_regions, Unset):
            allowed_regions = self.allowed_regions

        role_arn: None | str | Unset
        if isinstance(self.role_arn, Unset):
            role_arn = UNSET
        else:
            role_arn = self.role_arn

        assume_role_arn: None | str | Unset
        if isinstance(self.assume_role_arn, Unset):
            assume_role_arn = UNSET
        else:
            assume_role_arn = self.assume_role_arn

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        scheduling_weight = self.scheduling_weight

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_regions is not UNSET:
            field_dict["allowedRegions"] = allowed_regions
        if role_arn is not UNSET:
            field_dict["roleArn"] = role_arn
        if assume_role_arn is not UNSET:
            field_dict["assumeRoleArn"] = assume_role_arn
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if scheduling_weight is not UNSET:
            field_dict["schedulingWeight"] = scheduling_weight

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        allowed_regions = cast(list[str], d.pop("allowedRegions", UNSET))

        def _parse_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role_arn = _parse_role_arn(d.pop("roleArn", UNSET))

        def _parse_assume_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assume_role_arn = _parse_assume_role_arn(d.pop("assumeRoleArn", UNSET))

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))

        scheduling_weight = d.pop("schedulingWeight", UNSET)

        namespace_settings = cls(
            allowed_regions=allowed_regions,
            role_arn=role_arn,
            assume_role_arn=assume_role_arn,
            external_id=external_id,
            scheduling_weight=scheduling_weight,
        )

        return namespace_settings
