from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Metadata")


@_attrs_define
class Metadata:
    """Identity and versions of a resource.

    Attributes:
        uid (UUID): Unique id of this resource; a new one if the name is deleted and used again.
        generation (int): Bumped on every change of the desired state that AWS must see.
        revision (int): Bumped on every write; the `ETag`.
        created_at (datetime.datetime): When it was created.
        updated_at (datetime.datetime): When it last changed.
        deletion_requested_at (datetime.datetime | None | Unset): When deletion was requested.
    """

    uid: UUID
    generation: int
    revision: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    deletion_requested_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        uid = str(self.uid)

        generation = self.generation

        revision = self.revision

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        deletion_requested_at: None | str | Unset
        if isinstance(self.deletion_requested_at, Unset):
            deletion_requested_at = UNSET
        elif isinstance(self.deletion_requested_at, datetime.datetime):
            deletion_requested_at = self.deletion_requested_at.isoformat()
        else:
            deletion_requested_at = self.deletion_requested_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "uid": uid,
                "generation": generation,
                "revision": revision,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if deletion_requested_at is not UNSET:
            field_dict["deletionRequestedAt"] = deletion_requested_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        uid = UUID(d.pop("uid"))

        generation = d.pop("generation")

        revision = d.pop("revision")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_deletion_requested_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deletion_requested_at_type_0 = datetime.datetime.fromisoformat(data)

                return deletion_requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        deletion_requested_at = _parse_deletion_requested_at(
            d.pop("deletionRequestedAt", UNSET)
        )

        metadata = cls(
            uid=uid,
            generation=generation,
            revision=revision,
            created_at=created_at,
            updated_at=updated_at,
            deletion_requested_at=deletion_requested_at,
        )

        metadata.additional_properties = d
        return metadata

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
