from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DiscoveryProgress")


@_attrs_define
class DiscoveryProgress:
    """How far a discovery has come.

    Attributes:
        listed (int): Clients listed so far.
        read (int): Clients read (adopted ones included).
        already_managed (int): Clients a resource already manages (not read).
        owned_by_another_service (int): Clients another AWS service made (read, but not adopted unless asked for by id).
        failed (int): Clients that could not be read.
        adopted (int): Clients adopted from this discovery.
    """

    listed: int
    read: int
    already_managed: int
    owned_by_another_service: int
    failed: int
    adopted: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        listed = self.listed

        read = self.read

        already_managed = self.already_managed

        owned_by_another_service = self.owned_by_another_service

        failed = self.failed

        adopted = self.adopted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "listed": listed,
                "read": read,
                "alreadyManaged": already_managed,
                "ownedByAnotherService": owned_by_another_service,
                "failed": failed,
                "adopted": adopted,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        listed = d.pop("listed")

        read = d.pop("read")

        already_managed = d.pop("alreadyManaged")

        owned_by_another_service = d.pop("ownedByAnotherService")

        failed = d.pop("failed")

        adopted = d.pop("adopted")

        discovery_progress = cls(
            listed=listed,
            read=read,
            already_managed=already_managed,
            owned_by_another_service=owned_by_another_service,
            failed=failed,
            adopted=adopted,
        )

        discovery_progress.additional_properties = d
        return discovery_progress

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
