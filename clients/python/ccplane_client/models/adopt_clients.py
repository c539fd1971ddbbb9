from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.management_policy import ManagementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adopt_clients_labels_type_0 import AdoptClientsLabelsType0
    from ..models.adopt_clients_names_type_0 import AdoptClientsNamesType0


T = TypeVar("T", bound="AdoptClients")


@_attrs_define
class AdoptClients:
    """What to adopt from a discovery: the clients (by id, or all), and what their documents add.

    Attributes:
        client_ids (list[str] | None | Unset): The ClientIds to adopt (a service's client only this way). Give this or
            `all`.
        all_ (bool | None | Unset): `true`: every client read, but those another AWS service owns and those already
            managed.
        labels (AdoptClientsLabelsType0 | None | Unset): Labels every adopted resource carries. Default: none. Example:
            {'team': 'payments', 'tier': 'gold'}.
        management_policy (ManagementPolicy | None | Unset):
        names (AdoptClientsNamesType0 | None | Unset): Resource names to use instead of the proposed ones, by ClientId.
    """

    client_ids: list[str] | None | Unset = UNSET
    all_: bool | None | Unset = UNSET
    labels: AdoptClientsLabelsType0 | None | Unset = UNSET
    management_policy: ManagementPolicy | None | Unset = UNSET
    names: AdoptClientsNamesType0 | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.adopt_clients_labels_type_0 import AdoptClientsLabelsType0
        from ..models.adopt_clients_names_type_0 import AdoptClientsNamesType0

        client_ids: list[str] | None | Unset
        if isinstance(self.client_ids, Unset):
            client_ids = UNSET
        elif isinstance(self.client_ids, list):
            client_ids = self.client_ids

        else:
            client_ids = self.client_ids

        all_: bool | None | Unset
        if isinstance(self.all_, Unset):
            all_ = UNSET
        else:
            all_ = self.all_

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, AdoptClientsLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        management_policy: None | str | Unset
        if isinstance(self.management_policy, Unset):
            management_policy = UNSET
        elif isinstance(self.management_policy, ManagementPolicy):
            management_policy = self.management_policy.value
        else:
            management_policy = self.management_policy

        names: dict[str, Any] | None | Unset
        if isinstance(self.names, Unset):
            names = UNSET
        elif isinstance(self.names, AdoptClientsNamesType0):
            names = self.names.to_dict()
        else:
            names = self.names

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if client_ids is not UNSET:
            field_dict["clientIds"] = client_ids
        if all_ is not UNSET:
            field_dict["all"] = all_
        if labels is not UNSET:
            field_dict["labels"] = labels
        if management_policy is not UNSET:
            field_dict["managementPolicy"] = management_policy
        if names is not UNSET:
            field_dict["names"] = names

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adopt_clients_labels_type_0 import AdoptClientsLabelsType0
        from ..models.adopt_clients_names_type_0 import AdoptClientsNamesType0

        d = dict(src_dict)

        def _parse_client_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                client_ids_type_0 = cast(list[str], data)

                return client_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        client_ids = _parse_client_ids(d.pop("clientIds", UNSET))

        def _parse_all_(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        all_ = _parse_all_(d.pop("all", UNSET))

        def _parse_labels(data: object) -> AdoptClientsLabelsType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = AdoptClientsLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdoptClientsLabelsType0 | None | Unset, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        def _parse_management_policy(data: object) -> ManagementPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                management_policy_type_0 = ManagementPolicy(data)

                return management_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ManagementPolicy | None | Unset, data)

        management_policy = _parse_management_policy(d.pop("managementPolicy", UNSET))

        def _parse_names(data: object) -> AdoptClientsNamesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                names_type_0 = AdoptClientsNamesType0.from_dict(data)

                return names_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AdoptClientsNamesType0 | None | Unset, data)

        names = _parse_names(d.pop("names", UNSET))

        adopt_clients = cls(
            client_ids=client_ids,
            all_=all_,
            labels=labels,
            management_policy=management_policy,
            names=names,
        )

        return adopt_clients
