from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CurrentOperation")


@_attrs_define
class CurrentOperation:
    """The Cloud Control operation currently in flight.

    Attributes:
        id (UUID): ccplane's id of the operation.
        kind (str): Create, Update or Delete.
        status (str): Cloud Control's status of the request.
        request_token (None | str | Unset): Cloud Control's RequestToken, once the request was accepted.
        submitted_at (datetime.datetime | None | Unset): When it was submitted.
    """

    id: UUID
    kind: str
    status: str
    request_token: None | str | Unset = UNSET
    submitted_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        kind = self.kind

        status = self.status

        request_token: None | str | Unset
        if isinstance(self.request_token, Unset):
            request_token = UNSET
        else:
            request_token = self.request_token

        submitted_at: None | str | Unset
        if isinstance(self.submitted_at, Unset):
            submitted_at = UNSET
        elif isinstance(self.submitted_at, datetime.datetime):
            submitted_at = self.submitted_at.isoformat()
        else:
            submitted_at = self.submitted_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "status": status,
            }
        )
        if request_token is not UNSET:
            field_dict["requestToken"] = request_token
        if submitted_at is not UNSET:
            field_dict["submittedAt"] = submitted_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = UUID(d.pop("id"))

        kind = d.pop("kind")

        status = d.pop("status")

        def _parse_request_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_token = _parse_request_token(d.pop("requestToken", UNSET))

        def _parse_submitted_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                submitted_at_type_0 = datetime.datetime.fromisoformat(data)

                return submitted_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        submitted_at = _parse_submitted_at(d.pop("submittedAt", UNSET))

        current_operation = cls(
            id=id,
            kind=kind,
            status=status,
            request_token=request_token,
            submitted_at=submitted_at,
        )

        current_operation.additional_properties = d
        return current_operation

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
