from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.client_state import ClientState
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.discovery_error import DiscoveryError
    from ..models.user_pool_client_document import UserPoolClientDocument


T = TypeVar("T", bound="DiscoveredClient")


@_attrs_define
class DiscoveredClient:
    """One client a discovery listed.

    Attributes:
        client_id (str): Its ClientId.
        identifier (str): Its Cloud Control identifier, `UserPoolId|ClientId` (the document's `adopt.identifier`).
        state (ClientState): What became of one listed client.
        client_name (str | Unset): Its ClientName, once read.
        owned_by_service (str | Unset): The AWS service that made it, recognised by its name: not adopted unless asked
            for by id. Example: Amazon OpenSearch Service.
        managed_by (str | Unset): `namespace/name` of the resource that manages it (named only in this namespace).
        name (str | Unset): The resource name proposed for it (a DNS label, unique in the namespace when it was read).
        document (UserPoolClientDocument | Unset): A UserPoolClient's desired state as PUT and plan take it; only
            `properties` is required.

            The server fills in every other field's default when it is absent or `null`, and the response
            shows the result. This type documents the body: the handlers validate the raw JSON, so that a
            bad document reports every violation at once.
        adopted_as (str | Unset): The resource it was adopted as.
        error (DiscoveryError | Unset): What last went wrong for a discovery, or for one of its clients.
    """

    client_id: str
    identifier: str
    state: ClientState
    client_name: str | Unset = UNSET
    owned_by_service: str | Unset = UNSET
    managed_by: str | Unset = UNSET
    name: str | Unset = UNSET
    document: UserPoolClientDocument | Unset = UNSET
    adopted_as: str | Unset = UNSET
    error: DiscoveryError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_id = self.client_id

        identifier = self.identifier

        state = self.state.value

        client_name = self.client_name

        owned_by_service = self.owned_by_service

        managed_by = self.managed_by

        name = self.name

        document: dict[str, Any] | Unset = UNSET
        if not isinstance(self.document, Unset):
            document = self.document.to_dict()

        adopted_as = self.adopted_as

        error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.error, Unset):
            error = self.error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "clientId": client_id,
                "identifier": identifier,
                "state": state,
            }
        )
        if client_name is not UNSET:
            field_dict["clientName"] = client_name
        if owned_by_service is not UNSET:
            field_dict["ownedByService"] = owned_by_service
        if managed_by is not UNSET:
            field_dict["managedBy"] = managed_by
        if name is not UNSET:
            field_dict["name"] = name
        if document is not UNSET:
            field_dict["document"] = document
        if adopted_as is not UNSET:
            field_dict["adoptedAs"] = adopted_as
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.discovery_error import DiscoveryError
        from ..models.user_pool_client_document import UserPoolClientDocument

        d = dict(src_dict)
        client_id = d.pop("clientId")

        identifier = d.pop("identifier")

        state = ClientState(d.pop("state"))

        client_name = d.pop("clientName", UNSET)

        owned_by_service = d.pop("ownedByService", UNSET)

        managed_by = d.pop("managedBy", UNSET)

        name = d.pop("name", UNSET)

        _document = d.pop("document", UNSET)
        document: UserPoolClientDocument | Unset
        if isinstance(_document, Unset):
            document = UNSET
        else:
            document = UserPoolClientDocument.from_dict(_document)

        adopted_as = d.pop("adoptedAs", UNSET)

        _error = d.pop("error", UNSET)
        error: DiscoveryError | Unset
        if isinstance(_error, Unset):
            error = UNSET
        else:
            error = DiscoveryError.from_dict(_error)

        discovered_client = cls(
            client_id=client_id,
            identifier=identifier,
            state=state,
            client_name=client_name,
            owned_by_service=owned_by_service,
            managed_by=managed_by,
            name=name,
            document=document,
            adopted_as=adopted_as,
            error=error,
        )

        discovered_client.additional_properties = d
        return discovered_client

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
