from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.deliver_to import DeliverTo


T = TypeVar("T", bound="SecretRotation")


@_attrs_define
class SecretRotation:
    """What a document asks: rotate the client's secret every `everyDays`, keep the old one working
    for `overlapHours` after its successor is delivered, and deliver each value to a secret in
    AWS Secrets Manager.

        Attributes:
            every_days (int): Days between rotations (1 to 365). Example: 30.
            overlap_hours (int): Hours the old secret keeps working after the new one is current (0 to 720). Default: 24.
                Example: 24.
            deliver_to (DeliverTo): A delivery target.
    """

    every_days: int
    overlap_hours: int
    deliver_to: DeliverTo
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        every_days = self.every_days

        overlap_hours = self.overlap_hours

        deliver_to = self.deliver_to.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "everyDays": every_days,
                "overlapHours": overlap_hours,
                "deliverTo": deliver_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deliver_to import DeliverTo

        d = dict(src_dict)
        every_days = d.pop("everyDays")

        overlap_hours = d.pop("overlapHours")

        deliver_to = DeliverTo.from_dict(d.pop("deliverTo"))

        secret_rotation = cls(
            every_days=every_days,
            overlap_hours=overlap_hours,
            deliver_to=deliver_to,
        )

        secret_rotation.additional_properties = d
        return secret_rotation

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
