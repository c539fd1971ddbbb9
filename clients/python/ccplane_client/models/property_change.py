from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PropertyChange")


@_attrs_define
class PropertyChange:
    """One property whose desired and live values differ.

    Attributes:
        pointer (str): A JSON Pointer (RFC 6901) to the property, e.g. `/CallbackURLs`. Example: /ClientName.
        desired (Any | Unset): The desired value. When the desired state stops setting a property Cognito defaults, this
            is Cognito's default, which the update writes back (a JSON Patch `remove` leaves the live
            value on AWS); absent when the property is removed.
        live (Any | Unset): The live value; absent when the client does not have the property.
    """

    pointer: str
    desired: Any | Unset = UNSET
    live: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pointer = self.pointer

        desired = self.desired

        live = self.live

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pointer": pointer,
            }
        )
        if desired is not UNSET:
            field_dict["desired"] = desired
        if live is not UNSET:
            field_dict["live"] = live

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pointer = d.pop("pointer")

        desired = d.pop("desired", UNSET)

        live = d.pop("live", UNSET)

        property_change = cls(
            pointer=pointer,
            desired=desired,
            live=live,
        )

        property_change.additional_properties = d
        return property_change

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
