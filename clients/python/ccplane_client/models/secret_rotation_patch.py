from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.deliver_to import DeliverTo


T = TypeVar("T", bound="SecretRotationPatch")


@_attrs_define
class SecretRotationPatch:
    """A JSON Merge Patch of `secretRotation`: a field absent stays as it is.

    Attributes:
        every_days (int | None | Unset): Days between rotations (1 to 365).
        overlap_hours (int | None | Unset): Hours the old secret keeps working after the new one is current (0 to 720);
            `null`: 24.
        deliver_to (DeliverTo | None | Unset):
    """

    every_days: int | None | Unset = UNSET
    overlap_hours: int | None | Unset = UNSET
    deliver_to: DeliverTo | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.deliver_to import DeliverTo

        every_days: int | None | Unset
        if isinstance(self.every_days, Unset):
            every_days = UNSET
        else:
            every_days = self.every_days

        overlap_hours: int | None | Unset
        if isinstance(self.overlap_hours, Unset):
            overlap_hours = UNSET
        else:
            overlap_hours = self.overlap_hours

        deliver_to: dict[str, Any] | None | Unset
        if isinstance(self.deliver_to, Unset):
            deliver_to = UNSET
        elif isinstance(self.deliver_to, DeliverTo):
            deliver_to = self.deliver_to.to_dict()
        else:
            deliver_to = self.deliver_to

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if every_days is not UNSET:
            field_dict["everyDays"] = every_days
        if overlap_hours is not UNSET:
            field_dict["overlapHours"] = overlap_hours
        if deliver_to is not UNSET:
            field_dict["deliverTo"] = deliver_to

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.deliver_to import DeliverTo

        d = dict(src_dict)

        def _parse_every_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        every_days = _parse_every_days(d.pop("everyDays", UNSET))

        def _parse_overlap_hours(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        overlap_hours = _parse_overlap_hours(d.pop("overlapHours", UNSET))

        def _parse_deliver_to(data: object) -> DeliverTo | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                deliver_to_type_0 = DeliverTo.from_dict(data)

                return deliver_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeliverTo | None | Unset, data)

        deliver_to = _parse_deliver_to(d.pop("deliverTo", UNSET))

        secret_rotation_patch = cls(
            every_days=every_days,
            overlap_hours=overlap_hours,
            deliver_to=deliver_to,
        )

        return secret_rotation_patch
