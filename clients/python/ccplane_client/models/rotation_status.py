from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.rotation_phase import RotationPhase
from ..types import UNSET, Unset

T = TypeVar("T", bound="RotationStatus")


@_attrs_define
class RotationStatus:
    """What a rotation shows in a resource's status.

    Attributes:
        next_rotation_at (datetime.datetime | None | Unset): When the next rotation starts (absent while one runs, or
            when rotation is off).
        last_rotated_at (datetime.datetime | None | Unset): When the last rotation made its new secret current in
            Secrets Manager.
        phase (None | RotationPhase | Unset):
        retire_after (datetime.datetime | None | Unset): When the old secret stops working (while the two overlap).
        current_secret_id (None | str | Unset): The id of the Cognito secret whose value Secrets Manager holds as
            current.
    """

    next_rotation_at: datetime.datetime | None | Unset = UNSET
    last_rotated_at: datetime.datetime | None | Unset = UNSET
    phase: None | RotationPhase | Unset = UNSET
    retire_after: datetime.datetime | None | Unset = UNSET
    current_secret_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        next_rotation_at: None | str | Unset
        if isinstance(self.next_rotation_at, Unset):
            next_rotation_at = UNSET
        elif isinstance(self.next_rotation_at, datetime.datetime):
            next_rotation_at = self.next_rotation_at.isoformat()
        else:
            next_rotation_at = self.next_rotation_at

        last_rotated_at: None | str | Unset
        if isinstance(self.last_rotated_at, Unset):
            last_rotated_at = UNSET
        elif isinstance(self.last_rotated_at, datetime.datetime):
            last_rotated_at = self.last_rotated_at.isoformat()
        else:
            last_rotated_at = self.last_rotated_at

        phase: None | str | Unset
        if isinstance(self.phase, Unset):
            phase = UNSET
        elif isinstance(self.phase, RotationPhase):
            phase = self.phase.value
        else:
            phase = self.phase

        retire_after: None | str | Unset
        if isinstance(self.retire_after, Unset):
            retire_after = UNSET
        elif isinstance(self.retire_after, datetime.datetime):
            retire_after = self.retire_after.isoformat()
        else:
            retire_after = self.retire_after

        current_secret_id: None | str | Unset
        if isinstance(self.current_secret_id, Unset):
            current_secret_id = UNSET
        else:
            current_secret_id = self.current_secret_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if next_rotation_at is not UNSET:
            field_dict["nextRotationAt"] = next_rotation_at
        if last_rotated_at is not UNSET:
            field_dict["lastRotatedAt"] = last_rotated_at
        if phase is not UNSET:
            field_dict["phase"] = phase
        if retire_after is not UNSET:
            field_dict["retireAfter"] = retire_after
        if current_secret_id is not UNSET:
            field_dict["currentSecretId"] = current_secret_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_next_rotation_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_rotation_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_rotation_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_rotation_at = _parse_next_rotation_at(d.pop("nextRotationAt", UNSET))

        def _parse_last_rotated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                last_rotated_at_type_0 = datetime.datetime.fromisoformat(data)

                return last_rotated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        last_rotated_at = _parse_last_rotated_at(d.pop("lastRotatedAt", UNSET))

        def _parse_phase(data: object) -> None | RotationPhase | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                phase_type_0 = RotationPhase(data)

                return phase_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RotationPhase | Unset, data)

        phase = _parse_phase(d.pop("phase", UNSET))

        def _parse_retire_after(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                retire_after_type_0 = datetime.datetime.fromisoformat(data)

                return retire_after_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        retire_after = _parse_retire_after(d.pop("retireAfter", UNSET))

        def _parse_current_secret_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        current_secret_id = _parse_current_secret_id(d.pop("currentSecretId", UNSET))

        rotation_status = cls(
            next_rotation_at=next_rotation_at,
            last_rotated_at=last_rotated_at,
            phase=phase,
            retire_after=retire_after,
            current_secret_id=current_secret_id,
        )

        rotation_status.additional_properties = d
        return rotation_status

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
