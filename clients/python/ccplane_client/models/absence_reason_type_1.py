from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.absence_reason_type_1_kind import AbsenceReasonType1Kind
from ..types import UNSET, Unset

T = TypeVar("T", bound="AbsenceReasonType1")


@_attrs_define
class AbsenceReasonType1:
    """A create settled `FAILED` or `CANCEL_COMPLETE` naming this identifier: it may have made the
    client. `error` is the create's error (none when it was cancelled).

        Attributes:
            operation (UUID): The create's operation.
            request_token (str): Its RequestToken.
            kind (AbsenceReasonType1Kind):
            error_code (None | str | Unset): The HandlerErrorCode it failed with, if it failed.
            message (None | str | Unset): Cloud Control's message.
    """

    operation: UUID
    request_token: str
    kind: AbsenceReasonType1Kind
    error_code: None | str | Unset = UNSET
    message: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operation = str(self.operation)

        request_token = self.request_token

        kind = self.kind.value

        error_code: None | str | Unset
        if isinstance(self.error_code, Unset):
            error_code = UNSET
        else:
            error_code = self.error_code

        message: None | str | Unset
        if isinstance(self.message, Unset):
            message = UNSET
        else:
            message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "operation": operation,
                "request_token": request_token,
                "kind": kind,
            }
        )
        if error_code is not UNSET:
            field_dict["error_code"] = error_code
        if message is not UNSET:
            field_dict["message"] = message

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        operation = UUID(d.pop("operation"))

        request_token = d.pop("request_token")

        kind = AbsenceReasonType1Kind(d.pop("kind"))

        def _parse_error_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error_code = _parse_error_code(d.pop("error_code", UNSET))

        def _parse_message(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message = _parse_message(d.pop("message", UNSET))

        absence_reason_type_1 = cls(
            operation=operation,
            request_token=request_token,
            kind=kind,
            error_code=error_code,
            message=message,
        )

        absence_reason_type_1.additional_properties = d
        return absence_reason_type_1

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
