from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Namespace")


@_attrs_define
class Namespace:
    """A namespace's AWS targets.

    Attributes:
        name (str): The namespace.
        allowed_regions (list[str]): Regions its documents may name; empty means any.
        created_at (datetime.datetime): When the settings were created.
        updated_at (datetime.datetime): When they last changed.
        role_arn (None | str | Unset): The IAM role ARN Cloud Control assumes for its operations.
    """

    name: str
    allowed_regions: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    role_arn: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        name = self.name

        allowed_regions = self.allowed_regions

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        role_arn: None | str | Unset
        if isinstance(self.role_arn, Unset):
            role_arn = UNSET
        else:
            role_arn = self.role_arn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "allowedRegions": allowed_regions,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if role_arn is not UNSET:
            field_dict["roleArn"] = role_arn

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        name = d.pop("name")

        allowed_regions = cast(list[str], d.pop("allowedRegions"))

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role_arn = _parse_role_arn(d.pop("roleArn", UNSET))

        namespace = cls(
            name=name,
            allowed_regions=allowed_regions,
            created_at=created_at,
            updated_at=updated_at,
            role_arn=role_arn,
        )

        namespace.additional_properties = d
        return namespace

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
