from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.replacement_policy import ReplacementPolicy
from ..types import UNSET, Unset

T = TypeVar("T", bound="Replacement")


@_attrs_define
class Replacement:
    """A replacement of the client: how it starts (create before delete) or the old client deleted.

    Attributes:
        deleted (str | Unset): The identifier of the old client, once deleted.
        fields (list[str] | Unset): The create-only properties whose change forces the replacement.
        policy (ReplacementPolicy | Unset): What happens when a create-only property (`UserPoolId`, `GenerateSecret`)
            changes.
        identifier (str | Unset): The identifier of the client being replaced.
    """

    deleted: str | Unset = UNSET
    fields: list[str] | Unset = UNSET
    policy: ReplacementPolicy | Unset = UNSET
    identifier: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        deleted = self.deleted

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        policy: str | Unset = UNSET
        if not isinstance(self.policy, Unset):
            policy = self.policy.value

        identifier = self.identifier

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if deleted is not UNSET:
            field_dict["deleted"] = deleted
        if fields is not UNSET:
            field_dict["fields"] = fields
        if policy is not UNSET:
            field_dict["policy"] = policy
        if identifier is not UNSET:
            field_dict["identifier"] = identifier

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        deleted = d.pop("deleted", UNSET)

        fields = cast(list[str], d.pop("fields", UNSET))

        _policy = d.pop("policy", UNSET)
        policy: ReplacementPolicy | Unset
        if isinstance(_policy, Unset):
            policy = UNSET
        else:
            policy = ReplacementPolicy(_policy)

        identifier = d.pop("identifier", UNSET)

        replacement = cls(
            deleted=deleted,
            fields=fields,
            policy=policy,
            identifier=identifier,
        )

        replacement.additional_properties = d
        return replacement

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
