from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="AccountData")


@_attrs_define
class AccountData:
    """The namespace's account, reached through its role.

    Attributes:
        error_code (str | Unset): STS's error code (AccountUnreachable).
        assume_role_arn (None | str | Unset): The role assumed; null when the namespace names none.
    """

    error_code: str | Unset = UNSET
    assume_role_arn: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error_code = self.error_code

        assume_role_arn: None | str | Unset
        if isinstance(self.assume_role_arn, Unset):
            assume_role_arn = UNSET
        else:
            assume_role_arn = self.assume_role_arn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if assume_role_arn is not UNSET:
            field_dict["assumeRoleArn"] = assume_role_arn

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        error_code = d.pop("errorCode", UNSET)

        def _parse_assume_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assume_role_arn = _parse_assume_role_arn(d.pop("assumeRoleArn", UNSET))

        account_data = cls(
            error_code=error_code,
            assume_role_arn=assume_role_arn,
        )

        account_data.additional_properties = d
        return account_data

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
