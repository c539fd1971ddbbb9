from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Normalization")


@_attrs_define
class Normalization:
    """A property Cognito stores differently from what ccplane sent: after a create or an update of
    `pointer` to `sent`, AWS reads back `observed`. Remembered for one generation, so that the
    difference is accepted rather than sent again (which would loop).

        Attributes:
            pointer (str): JSON Pointer of the property.
            generation (int): The generation it was seen at.
            sent (Any | Unset): What ccplane sent.
            observed (Any | Unset): What AWS reads back.
    """

    pointer: str
    generation: int
    sent: Any | Unset = UNSET
    observed: Any | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        pointer = self.pointer

        generation = self.generation

        sent = self.sent

        observed = self.observed

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "pointer": pointer,
                "generation": generation,
            }
        )
        if sent is not UNSET:
            field_dict["sent"] = sent
        if observed is not UNSET:
            field_dict["observed"] = observed

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        pointer = d.pop("pointer")

        generation = d.pop("generation")

        sent = d.pop("sent", UNSET)

        observed = d.pop("observed", UNSET)

        normalization = cls(
            pointer=pointer,
            generation=generation,
            sent=sent,
            observed=observed,
        )

        normalization.additional_properties = d
        return normalization

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
