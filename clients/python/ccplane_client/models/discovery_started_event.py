from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    Self,
    TypeVar,
    cast,
)
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discovery_data import DiscoveryData


T = TypeVar("T", bound="DiscoveryStartedEvent")


@_attrs_define
class DiscoveryStartedEvent:
    """An event of kind DiscoveryStarted.

    Attributes:
        id (int): Position in the timeline; also the SSE `id`.
        resource_uid (UUID): The uid of the resource it concerns.
        namespace (str): The resource's namespace.
        name (str): The resource's name.
        message (str): A sentence for people.
        created_at (datetime.datetime): When it happened.
        kind (Literal['DiscoveryStarted']): What happened.
        data (DiscoveryData): A discovery's progress, as its events carry it.
        generation (int | None | Unset): The generation it concerns.
        actor (None | str | Unset): Who caused it, when a user did.
    """

    id: int
    resource_uid: UUID
    namespace: str
    name: str
    message: str
    created_at: datetime.datetime
    kind: Literal["DiscoveryStarted"]
    data: DiscoveryData
    generation: int | None | Unset = UNSET
    actor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        resource_uid = str(self.resource_uid)

        namespace = self.namespace

        name = self.name

        message = self.message

        created_at = self.created_at.isoformat()

        kind = self.kind

        data = self.data.to_dict()

        generation: int | None | Unset
        if isinstance(self.generation, Unset):
            generation = UNSET
        else:
            generation = self.generation

        actor: None | str | Unset
        if isinstance(self.actor, Unset):
            actor = UNSET
        else:
            actor = self.actor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "resourceUid": resource_uid,
                "namespace": namespace,
                "name": name,
                "message": message,
                "createdAt": created_at,
                "kind": kind,
                "data": data,
            }
        )
        if generation is not UNSET:
            field_dict["generation"] = generation
        if actor is not UNSET:
            field_dict["actor"] = actor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovery_data import DiscoveryData

        d = dict(src_dict)
        id = d.pop("id")

        resource_uid = UUID(d.pop("resourceUid"))

        namespace = d.pop("namespace")

        name = d.pop("name")

        message = d.pop("message")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        kind = cast(Literal["DiscoveryStarted"], d.pop("kind"))
        if kind != "DiscoveryStarted":
            raise ValueError(f"kind must match const 'DiscoveryStarted', got '{kind}'")

        data = DiscoveryData.from_dict(d.pop("data"))

        def _parse_generation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        generation = _parse_generation(d.pop("generation", UNSET))

        def _parse_actor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        actor = _parse_actor(d.pop("actor", UNSET))

        discovery_started_event = cls(
            id=id,
            resource_uid=resource_uid,
            namespace=namespace,
            name=name,
            message=message,
            created_at=created_at,
            kind=kind,
            data=data,
            generation=generation,
            actor=actor,
        )

        discovery_started_event.additional_properties = d
        return discovery_started_event

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
