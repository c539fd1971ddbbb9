from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.operation_kind import OperationKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="OperationData")


@_attrs_define
class OperationData:
    """A Cloud Control request and what became of it. Each kind carries the fields it knows; a field
    whose value is unknown is `null` or absent.

        Attributes:
            operation (UUID | Unset): ccplane's id of the operation; absent for a create found failed only after it was
                closed.
            kind (OperationKind | Unset): What a Cloud Control operation does.
            client_token (str | Unset): The ClientToken sent with every attempt of the request.
            request_token (None | str | Unset): Cloud Control's RequestToken; null when it never acknowledged the request.
            identifier (None | str | Unset): The Cloud Control identifier `UserPoolId|ClientId` acted on; null when not
                known yet.
            error_code (str | Unset): Cloud Control's error code.
    """

    operation: UUID | Unset = UNSET
    kind: OperationKind | Unset = UNSET
    client_token: str | Unset = UNSET
    request_token: None | str | Unset = UNSET
    identifier: None | str | Unset = UNSET
    error_code: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        operation: str | Unset = UNSET
        if not isinstance(self.operation, Unset):
            operation = str(self.operation)

        kind: str | Unset = UNSET
        if not isinstance(self.kind, Unset):
            kind = self.kind.value

        client_token = self.client_token

        request_token: None | str | Unset
        if isinstance(self.request_token, Unset):
            request_token = UNSET
        else:
            request_token = self.request_token

        identifier: None | str | Unset
        if isinstance(self.identifier, Unset):
            identifier = UNSET
        else:
            identifier = self.identifier

        error_code = self.error_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if operation is not UNSET:
            field_dict["operation"] = operation
        if kind is not UNSET:
            field_dict["kind"] = kind
        if client_token is not UNSET:
            field_dict["clientToken"] = client_token
        if request_token is not UNSET:
            field_dict["requestToken"] = request_token
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        _operation = d.pop("operation", UNSET)
        operation: UUID | Unset
        if isinstance(_operation, Unset):
            operation = UNSET
        else:
            operation = UUID(_operation)

        _kind = d.pop("kind", UNSET)
        kind: OperationKind | Unset
        if isinstance(_kind, Unset):
            kind = UNSET
        else:
            kind = OperationKind(_kind)

        client_token = d.pop("clientToken", UNSET)

        def _parse_request_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_token = _parse_request_token(d.pop("requestToken", UNSET))

        def _parse_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier = _parse_identifier(d.pop("identifier", UNSET))

        error_code = d.pop("errorCode", UNSET)

        operation_data = cls(
            operation=operation,
            kind=kind,
            client_token=client_token,
            request_token=request_token,
            identifier=identifier,
            error_code=error_code,
        )

        operation_data.additional_properties = d
        return operation_data

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
