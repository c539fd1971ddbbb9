from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeliverTo")


@_attrs_define
class DeliverTo:
    """A delivery target.

    Attributes:
        secrets_manager_secret_arn (str): The full ARN of an existing Secrets Manager secret, in the namespace's
            account. Example: arn:aws:secretsmanager:us-east-1:123456789012:secret:web-client-AbCdEf.
    """

    secrets_manager_secret_arn: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        secrets_manager_secret_arn = self.secrets_manager_secret_arn

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "secretsManagerSecretArn": secrets_manager_secret_arn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        secrets_manager_secret_arn = d.pop("secretsManagerSecretArn")

        deliver_to = cls(
            secrets_manager_secret_arn=secrets_manager_secret_arn,
        )

        deliver_to.additional_properties = d
        return deliver_to

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
