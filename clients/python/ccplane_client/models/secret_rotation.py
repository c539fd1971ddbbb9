from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

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
            deliver_to (DeliverTo): A delivery target.
            overlap_hours (int | None | Unset): Hours the old secret keeps working after the new one is current (0 to 720).
                Default (absent
                or `null`): 24. Example: 24.
    """

    every_days: int
    deliver_to: DeliverTo
    overlap_hours: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        every_days = self.every_days

        deliver_to = self.deliver_to.to_dict()

        overlap_hours: int | None | Unset
        if isinstance(self.overlap_hours, Unset):
            overlap_hours = UNSET
        else:
            overlap_hours = self.overlap_hours

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "everyDays": every_days,
                "deliverTo": deliver_to,
            }
        )
        if overlap_hours is not UNSET:
            field_dict["overlapHours"] = overlap_hours

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deliver_to import DeliverTo

        d = dict(src_dict)
        every_days = d.pop("everyDays")

        deliver_to = DeliverTo.from_dict(d.pop("deliverTo"))

        def _parse_overlap_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        overlap_hours = _parse_overlap_hours(d.pop("overlapHours", UNSET))

        secret_rotation = cls(
            every_days=every_days,
            deliver_to=deliver_to,
            overlap_hours=overlap_hours,
        )

        return secret_rotation
