from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.discovery_phase import DiscoveryPhase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discovered_client import DiscoveredClient
    from ..models.discovery_error import DiscoveryError
    from ..models.discovery_progress import DiscoveryProgress


T = TypeVar("T", bound="Discovery")


@_attrs_define
class Discovery:
    """A discovery of a user pool: how far it has come and, read alone, every client it found.

    Attributes:
        id (UUID): Its id.
        namespace (str): The namespace it runs in, and adopts into.
        user_pool_id (str): The user pool. Example: us-east-1_examplePoolId.
        region (str): The pool's region. Example: us-east-1.
        phase (DiscoveryPhase): Where a discovery is.
        progress (DiscoveryProgress): How far a discovery has come.
        pages (int): Pages of the pool listed so far.
        created_at (datetime.datetime): When it was started.
        updated_at (datetime.datetime): When it last changed.
        last_error (DiscoveryError | Unset): What last went wrong for a discovery, or for one of its clients.
        created_by (str | Unset): Who started it.
        finished_at (datetime.datetime | Unset): When it finished.
        clients (list[DiscoveredClient] | Unset): Every client listed, in listing order (only when the discovery is read
            alone).
    """

    id: UUID
    namespace: str
    user_pool_id: str
    region: str
    phase: DiscoveryPhase
    progress: DiscoveryProgress
    pages: int
    created_at: datetime.datetime
    updated_at: datetime.datetime
    last_error: DiscoveryError | Unset = UNSET
    created_by: str | Unset = UNSET
    finished_at: datetime.datetime | Unset = UNSET
    clients: list[DiscoveredClient] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = str(self.id)

        namespace = self.namespace

        user_pool_id = self.user_pool_id

        region = self.region

        phase = self.phase.value

        progress = self.progress.to_dict()

        pages = self.pages

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        last_error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.last_error, Unset):
            last_error = self.last_error.to_dict()

        created_by = self.created_by

        finished_at: str | Unset = UNSET
        if not isinstance(self.finished_at, Unset):
            finished_at = self.finished_at.isoformat()

        clients: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.clients, Unset):
            clients = []
            for clients_item_data in self.clients:
                clients_item = clients_item_data.to_dict()
                clients.append(clients_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "namespace": namespace,
                "userPoolId": user_pool_id,
                "region": region,
                "phase": phase,
                "progress": progress,
                "pages": pages,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if created_by is not UNSET:
            field_dict["createdBy"] = created_by
        if finished_at is not UNSET:
            field_dict["finishedAt"] = finished_at
        if clients is not UNSET:
            field_dict["clients"] = clients

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovered_client import DiscoveredClient
        from ..models.discovery_error import DiscoveryError
        from ..models.discovery_progress import DiscoveryProgress

        d = dict(src_dict)
        id = UUID(d.pop("id"))

        namespace = d.pop("namespace")

        user_pool_id = d.pop("userPoolId")

        region = d.pop("region")

        phase = DiscoveryPhase(d.pop("phase"))

        progress = DiscoveryProgress.from_dict(d.pop("progress"))

        pages = d.pop("pages")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        _last_error = d.pop("lastError", UNSET)
        last_error: DiscoveryError | Unset
        if isinstance(_last_error, Unset):
            last_error = UNSET
        else:
            last_error = DiscoveryError.from_dict(_last_error)

        created_by = d.pop("createdBy", UNSET)

        _finished_at = d.pop("finishedAt", UNSET)
        finished_at: datetime.datetime | Unset
        if isinstance(_finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = datetime.datetime.fromisoformat(_finished_at)

        _clients = d.pop("clients", UNSET)
        clients: list[DiscoveredClient] | Unset = UNSET
        if _clients is not UNSET:
            clients = []
            for clients_item_data in _clients:
                clients_item = DiscoveredClient.from_dict(clients_item_data)

                clients.append(clients_item)

        discovery = cls(
            id=id,
            namespace=namespace,
            user_pool_id=user_pool_id,
            region=region,
            phase=phase,
            progress=progress,
            pages=pages,
            created_at=created_at,
            updated_at=updated_at,
            last_error=last_error,
            created_by=created_by,
            finished_at=finished_at,
            clients=clients,
        )

        discovery.additional_properties = d
        return discovery

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
