from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.discovery_phase import DiscoveryPhase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discovery_progress import DiscoveryProgress


T = TypeVar("T", bound="DiscoveryData")


@_attrs_define
class DiscoveryData:
    """A discovery's progress, as its events carry it.

    Attributes:
        discovery (UUID): The discovery's id.
        user_pool_id (str): The user pool discovered.
        phase (DiscoveryPhase): Where a discovery is.
        progress (DiscoveryProgress): How far a discovery has come.
        error_code (str | Unset): The error that failed it, or that a retry follows.
    """

    discovery: UUID
    user_pool_id: str
    phase: DiscoveryPhase
    progress: DiscoveryProgress
    error_code: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        discovery = str(self.discovery)

        user_pool_id = self.user_pool_id

        phase = self.phase.value

        progress = self.progress.to_dict()

        error_code = self.error_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "discovery": discovery,
                "userPoolId": user_pool_id,
                "phase": phase,
                "progress": progress,
            }
        )
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovery_progress import DiscoveryProgress

        d = dict(src_dict)
        discovery = UUID(d.pop("discovery"))

        user_pool_id = d.pop("userPoolId")

        phase = DiscoveryPhase(d.pop("phase"))

        progress = DiscoveryProgress.from_dict(d.pop("progress"))

        error_code = d.pop("errorCode", UNSET)

        discovery_data = cls(
            discovery=discovery,
            user_pool_id=user_pool_id,
            phase=phase,
            progress=progress,
            error_code=error_code,
        )

        discovery_data.additional_properties = d
        return discovery_data

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
