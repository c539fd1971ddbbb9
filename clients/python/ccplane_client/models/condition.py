from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.condition_status import ConditionStatus
from ..models.condition_type import ConditionType

T = TypeVar("T", bound="Condition")


@_attrs_define
class Condition:
    """One observation about the resource, Kubernetes style.

    Attributes:
        type_ (ConditionType): The kinds of condition a resource reports.
        status (ConditionStatus): The truth value of a condition.
        reason (str): A CamelCase reason, stable for machines.
        message (str): A sentence for people.
        last_transition_time (datetime.datetime): When `status` last changed.
        observed_generation (int): The generation this condition was computed for.
    """

    type_: ConditionType
    status: ConditionStatus
    reason: str
    message: str
    last_transition_time: datetime.datetime
    observed_generation: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_.value

        status = self.status.value

        reason = self.reason

        message = self.message

        last_transition_time = self.last_transition_time.isoformat()

        observed_generation = self.observed_generation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "status": status,
                "reason": reason,
                "message": message,
                "lastTransitionTime": last_transition_time,
                "observedGeneration": observed_generation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        type_ = ConditionType(d.pop("type"))

        status = ConditionStatus(d.pop("status"))

        reason = d.pop("reason")

        message = d.pop("message")

        last_transition_time = datetime.datetime.fromisoformat(
            d.pop("lastTransitionTime")
        )

        observed_generation = d.pop("observedGeneration")

        condition = cls(
            type_=type_,
            status=status,
            reason=reason,
            message=message,
            last_transition_time=last_transition_time,
            observed_generation=observed_generation,
        )

        condition.additional_properties = d
        return condition

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
