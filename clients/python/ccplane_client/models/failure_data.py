from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_kind import OperationKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="FailureData")


@_attrs_define
class FailureData:
    """An error the reconciler met, outside or inside an operation.

    Attributes:
        error_code (str): Cloud Control's (or STS's) error code.
        request_token (None | str | Unset): Cloud Control's RequestToken of the request that failed; null outside one.
        kind (OperationKind | Unset): What a Cloud Control operation does.
        attempt (int | Unset): The attempt that failed (RetryScheduled).
    """

    error_code: str
    request_token: None | str | Unset = UNSET
    kind: OperationKind | Unset = UNSET
    attempt: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_code = self.error_code

        request_token: None | str | Unset
        if isinstance(self.request_token, Unset):
            request_token = UNSET
        else:
            request_token = self.request_token

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        attempt = self.attempt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errorCode": error_code,
            }
        )
        if request_token is not UNSET:
            field_dict["requestToken"] = request_token
        if kind is not UNSET:
            field_dict["kind"] = kind
        if attempt is not UNSET:
            field_dict["attempt"] = attempt

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error_code = d.pop("errorCode")

        def _parse_request_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_token = _parse_request_token(d.pop("requestToken", UNSET))

        _kind = d.pop("kind", UNSET)
        kind: OperationKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = OperationKind(_kind)

        attempt = d.pop("attempt", UNSET)

        failure_data = cls(
            error_code=error_code,
            request_token=request_token,
            kind=kind,
            attempt=attempt,
        )

        failure_data.additional_properties = d
        return failure_data

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
