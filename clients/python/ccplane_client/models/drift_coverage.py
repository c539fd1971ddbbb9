from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DriftCoverage")


@_attrs_define
class DriftCoverage:
    """How well drift checks keep up in a namespace: they spend at most a share of the read budget
    and stretch beyond it, visibly.

        Attributes:
            ready_clients (int): Ready clients in the namespace.
            checked_within_interval (int): Of those, how many were checked within their drift interval.
            oldest_check_age_seconds (float): Seconds since the least recently checked Ready client was checked (or made
                Ready).
            effective_interval_seconds (float): The interval the checks are achieving: twice the mean age of the last checks
                (a steady
                stream of checks leaves ages spread evenly over one interval).
    """

    ready_clients: int
    checked_within_interval: int
    oldest_check_age_seconds: float
    effective_interval_seconds: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ready_clients = self.ready_clients

        checked_within_interval = self.checked_within_interval

        oldest_check_age_seconds = self.oldest_check_age_seconds

        effective_interval_seconds = self.effective_interval_seconds

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "readyClients": ready_clients,
                "checkedWithinInterval": checked_within_interval,
                "oldestCheckAgeSeconds": oldest_check_age_seconds,
                "effectiveIntervalSeconds": effective_interval_seconds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        ready_clients = d.pop("readyClients")

        checked_within_interval = d.pop("checkedWithinInterval")

        oldest_check_age_seconds = d.pop("oldestCheckAgeSeconds")

        effective_interval_seconds = d.pop("effectiveIntervalSeconds")

        drift_coverage = cls(
            ready_clients=ready_clients,
            checked_within_interval=checked_within_interval,
            oldest_check_age_seconds=oldest_check_age_seconds,
            effective_interval_seconds=effective_interval_seconds,
        )

        drift_coverage.additional_properties = d
        return drift_coverage

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
