from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="NewDiscovery")


@_attrs_define
class NewDiscovery:
    """The body of a new discovery.

    Attributes:
        user_pool_id (str): The user pool whose clients to list. Example: us-east-1_examplePoolId.
        region (None | str | Unset): The pool's region. Default: the server's `--default-region`. Example: us-east-1.
    """

    user_pool_id: str
    region: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        user_pool_id = self.user_pool_id

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "userPoolId": user_pool_id,
            }
        )
        if region is not UNSET:
            field_dict["region"] = region

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        user_pool_id = d.pop("userPoolId")

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        new_discovery = cls(
            user_pool_id=user_pool_id,
            region=region,
        )

        return new_discovery
