from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.absence_reason_type_0 import AbsenceReasonType0
    from ..models.absence_reason_type_1 import AbsenceReasonType1


T = TypeVar("T", bound="AbsenceData")


@_attrs_define
class AbsenceData:
    """A doubt about a client's existence.

    Attributes:
        identifier (str): The Cloud Control identifier `UserPoolId|ClientId` of the client in doubt.
        reason (AbsenceReasonType0 | AbsenceReasonType1): Why a client's existence is in doubt.
    """

    identifier: str
    reason: AbsenceReasonType0 | AbsenceReasonType1
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.absence_reason_type_0 import AbsenceReasonType0

        identifier = self.identifier

        reason: dict[str, Any]
        if isinstance(self.reason, AbsenceReasonType0):
            reason = self.reason.to_dict()
        else:
            reason = self.reason.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "identifier": identifier,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.absence_reason_type_0 import AbsenceReasonType0
        from ..models.absence_reason_type_1 import AbsenceReasonType1

        d = dict(src_dict)
        identifier = d.pop("identifier")

        def _parse_reason(data: object) -> AbsenceReasonType0 | AbsenceReasonType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_absence_reason_type_0 = AbsenceReasonType0.from_dict(
                    data
                )

                return componentsschemas_absence_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_absence_reason_type_1 = AbsenceReasonType1.from_dict(data)

            return componentsschemas_absence_reason_type_1

        reason = _parse_reason(d.pop("reason"))

        absence_data = cls(
            identifier=identifier,
            reason=reason,
        )

        absence_data.additional_properties = d
        return absence_data

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
