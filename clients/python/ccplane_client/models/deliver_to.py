from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="DeliverTo")


@_attrs_define
class DeliverTo:
    """A delivery target.

    Attributes:
        secrets_manager_secret_arn (str): The full ARN of an existing Secrets Manager secret, in the namespace's
            account. Example: arn:aws:secretsmanager:us-east-1:123456789012:secret:web-client-AbCdEf.
    """

    secrets_manager_secret_arn: str

    def to_dict(self) -> dict[str, Any]:
        secrets_manager_secret_arn = self.secrets_manager_secret_arn

        field_dict: dict[str, Any] = {}

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

        return deliver_to
