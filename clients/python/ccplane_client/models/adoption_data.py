from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.management_policy import ManagementPolicy

T = TypeVar("T", bound="AdoptionData")


@_attrs_define
class AdoptionData:
    """Clients adopted in bulk from a discovery.

    Attributes:
        discovery (UUID): The discovery's id.
        adopted (int): How many resources were created.
        management_policy (ManagementPolicy): Whether ccplane may change the client in AWS, or only read it.
    """

    discovery: UUID
    adopted: int
    management_policy: ManagementPolicy
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        discovery = str(self.discovery)

        adopted = self.adopted

        management_policy = self.management_policy.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "discovery": discovery,
                "adopted": adopted,
                "managementPolicy": management_policy,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        discovery = UUID(d.pop("discovery"))

        adopted = d.pop("adopted")

        management_policy = ManagementPolicy(d.pop("managementPolicy"))

        adoption_data = cls(
            discovery=discovery,
            adopted=adopted,
            management_policy=management_policy,
        )

        adoption_data.additional_properties = d
        return adoption_data

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
