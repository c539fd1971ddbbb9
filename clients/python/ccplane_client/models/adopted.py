from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.adopted_client import AdoptedClient
    from ..models.skipped_client import SkippedClient


T = TypeVar("T", bound="Adopted")


@_attrs_define
class Adopted:
    """What an adoption created, and what `all` left out.

    Attributes:
        adopted (list[AdoptedClient]): The resources created, one per client.
        skipped (list[SkippedClient]): The clients `all` left out, and why.
    """

    adopted: list[AdoptedClient]
    skipped: list[SkippedClient]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        adopted = []
        for adopted_item_data in self.adopted:
            adopted_item = adopted_item_data.to_dict()
            adopted.append(adopted_item)

        skipped = []
        for skipped_item_data in self.skipped:
            skipped_item = skipped_item_data.to_dict()
            skipped.append(skipped_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "adopted": adopted,
                "skipped": skipped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adopted_client import AdoptedClient
        from ..models.skipped_client import SkippedClient

        d = dict(src_dict)
        adopted = []
        _adopted = d.pop("adopted")
        for adopted_item_data in _adopted:
            adopted_item = AdoptedClient.from_dict(adopted_item_data)

            adopted.append(adopted_item)

        skipped = []
        _skipped = d.pop("skipped")
        for skipped_item_data in _skipped:
            skipped_item = SkippedClient.from_dict(skipped_item_data)

            skipped.append(skipped_item)

        adopted = cls(
            adopted=adopted,
            skipped=skipped,
        )

        adopted.additional_properties = d
        return adopted

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
