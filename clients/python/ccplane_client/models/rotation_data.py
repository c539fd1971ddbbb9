from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RotationData")


@_attrs_define
class RotationData:
    """A step of a scheduled rotation: which secrets, and where the value goes. Never the value.

    Attributes:
        secret_arn (str): The Secrets Manager secret the value is delivered to.
        version_id (str): The Secrets Manager version that holds the new value.
        previous_secret_id (str): The Cognito secret being rotated out.
        new_secret_id (None | str | Unset): The Cognito secret that holds the new value, once given.
    """

    secret_arn: str
    version_id: str
    previous_secret_id: str
    new_secret_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        secret_arn = self.secret_arn

        version_id = self.version_id

        previous_secret_id = self.previous_secret_id

        new_secret_id: None | str | Unset
        if isinstance(self.new_secret_id, Unset):
            new_secret_id = UNSET
        else:
            new_secret_id = self.new_secret_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "secretArn": secret_arn,
                "versionId": version_id,
                "previousSecretId": previous_secret_id,
            }
        )
        if new_secret_id is not UNSET:
            field_dict["newSecretId"] = new_secret_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        secret_arn = d.pop("secretArn")

        version_id = d.pop("versionId")

        previous_secret_id = d.pop("previousSecretId")

        def _parse_new_secret_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        new_secret_id = _parse_new_secret_id(d.pop("newSecretId", UNSET))

        rotation_data = cls(
            secret_arn=secret_arn,
            version_id=version_id,
            previous_secret_id=previous_secret_id,
            new_secret_id=new_secret_id,
        )

        rotation_data.additional_properties = d
        return rotation_data

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
