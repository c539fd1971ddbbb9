from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LastError")


@_attrs_define
class LastError:
    """The last error the reconciler met.

    Attributes:
        code (str): Cloud Control's HandlerErrorCode or exception name.
        message (str): What went wrong.
        retryable (bool): Whether the reconciler will retry on its own; when false, it waits for a change of the
            desired state or a `refresh`.
        at (datetime.datetime): When it happened.
        request_token (None | str | Unset): The Cloud Control request that failed, when there was one.
        operation (None | str | Unset): The operation that failed: `Create`, `Update` or `Delete` (absent for reads).
        generation (int | None | Unset): The generation of the desired state the reconciler was applying.
    """

    code: str
    message: str
    retryable: bool
    at: datetime.datetime
    request_token: None | str | Unset = UNSET
    operation: None | str | Unset = UNSET
    generation: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        retryable = self.retryable

        at = self.at.isoformat()

        request_token: None | str | Unset
        if isinstance(self.request_token, Unset):
            request_token = UNSET
        else:
            request_token = self.request_token

        operation: None | str | Unset
        if isinstance(self.operation, Unset):
            operation = UNSET
        else:
            operation = self.operation

        generation: int | None | Unset
        if isinstance(self.generation, Unset):
            generation = UNSET
        else:
            generation = self.generation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "retryable": retryable,
                "at": at,
            }
        )
        if request_token is not UNSET:
            field_dict["requestToken"] = request_token
        if operation is not UNSET:
            field_dict["operation"] = operation
        if generation is not UNSET:
            field_dict["generation"] = generation

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        retryable = d.pop("retryable")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        def _parse_request_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_token = _parse_request_token(d.pop("requestToken", UNSET))

        def _parse_operation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        operation = _parse_operation(d.pop("operation", UNSET))

        def _parse_generation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        generation = _parse_generation(d.pop("generation", UNSET))

        last_error = cls(
            code=code,
            message=message,
            retryable=retryable,
            at=at,
            request_token=request_token,
            operation=operation,
            generation=generation,
        )

        last_error.additional_properties = d
        return last_error

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
