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
            operations. Example: arn:aws:iam::123456789012:role/ccplane-team-a.
    """

    allowed_regions: list[str] | Unset = UNSET
    role_arn: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        allowed_regions: list[str] | Unset = UNSET
        if not isinstance(self.allowed_regions, Unset):
            allowed_regions = self.allowed_regions

        role_arn: None | str | Unset
        if isinstance(self.role_arn, Unset):
            role_arn = UNSET
        else:
            role_arn = self.role_arn

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if allowed_regions is not UNSET:
            field_dict["allowedRegions"] = allowed_regions
        if role_arn is not UNSET:
            field_dict["roleArn"] = role_arn

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

        namespace_settings = cls(
            allowed_regions=allowed_regions,
            role_arn=role_arn,
        )

        return namespace_settings
