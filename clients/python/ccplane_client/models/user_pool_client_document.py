from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

from ..models.deletion_policy import DeletionPolicy
from ..models.drift_policy import DriftPolicy
from ..models.replacement_policy import ReplacementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adopt import Adopt
    from ..models.user_pool_client_document_labels import UserPoolClientDocumentLabels
    from ..models.user_pool_client_properties import UserPoolClientProperties


T = TypeVar("T", bound="UserPoolClientDocument")


@_attrs_define
class UserPoolClientDocument:
    """A UserPoolClient's desired state as PUT and plan take it; only `properties` is required.

    The server fills in every other field's default, and the response shows the result. This type
    documents the body: the handlers validate the raw JSON, so that a bad document reports every
    violation at once.

        Attributes:
            properties (UserPoolClientProperties): AWS::Cognito::UserPoolClient properties, with CloudFormation's names.
            region (str | Unset): AWS region of the client. Default: the server's `--default-region` (`us-east-1` unless
                configured). A namespace with `allowedRegions` refuses any other region (422 at `/region`). Example: us-east-1.
            labels (UserPoolClientDocumentLabels | Unset): Labels for selection (`?labels=team=payments`). Default: none.
                Example: {'team': 'payments', 'tier': 'gold'}.
            deletion_policy (DeletionPolicy | Unset): What happens in AWS when the resource is deleted from ccplane.
            replacement_policy (ReplacementPolicy | Unset): What happens when a create-only property (`UserPoolId`,
                `GenerateSecret`) changes.
            drift_policy (DriftPolicy | Unset): What happens when the live client differs from the desired state.
            paused (bool | Unset): When true the reconciler leaves the resource alone. Default: false.
            adopt (Adopt | Unset): An existing client ccplane should take over instead of creating one.
            drift_check_interval_seconds (int | Unset): Seconds between drift checks of this client. Default: the server's
                `--drift-interval-secs` (600).
    """

    properties: UserPoolClientProperties
    region: str | Unset = UNSET
    labels: UserPoolClientDocumentLabels | Unset = UNSET
    deletion_policy: DeletionPolicy | Unset = UNSET
    replacement_policy: ReplacementPolicy | Unset = UNSET
    drift_policy: DriftPolicy | Unset = UNSET
    paused: bool | Unset = UNSET
    adopt: Adopt | Unset = UNSET
    drift_check_interval_seconds: int | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        properties = self.properties.to_dict()

        region = self.region

        labels: dict[str, Any] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels.to_dict()

        deletion_policy: str | Unset = UNSET
        if not isinstance(self.deletion_policy, Unset):
            deletion_policy = self.deletion_policy.value

        replacement_policy: str | Unset = UNSET
        if not isinstance(self.replacement_policy, Unset):
            replacement_policy = self.replacement_policy.value

        drift_policy: str | Unset = UNSET
        if not isinstance(self.drift_policy, Unset):
            drift_policy = self.drift_policy.value

        paused = self.paused

        adopt: dict[str, Any] | Unset = UNSET
        if not isinstance(self.adopt, Unset):
            adopt = self.adopt.to_dict()

        drift_check_interval_seconds = self.drift_check_interval_seconds

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "properties": properties,
            }
        )
        if region is not UNSET:
            field_dict["region"] = region
        if labels is not UNSET:
            field_dict["labels"] = labels
        if deletion_policy is not UNSET:
            field_dict["deletionPolicy"] = deletion_policy
        if replacement_policy is not UNSET:
            field_dict["replacementPolicy"] = replacement_policy
        if drift_policy is not UNSET:
            field_dict["driftPolicy"] = drift_policy
        if paused is not UNSET:
            field_dict["paused"] = paused
        if adopt is not UNSET:
            field_dict["adopt"] = adopt
        if drift_check_interval_seconds is not UNSET:
            field_dict["driftCheckIntervalSeconds"] = drift_check_interval_seconds

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adopt import Adopt
        from ..models.user_pool_client_document_labels import (
            UserPoolClientDocumentLabels,
        )
        from ..models.user_pool_client_properties import UserPoolClientProperties

        d = dict(src_dict)
        properties = UserPoolClientProperties.from_dict(d.pop("properties"))

        region = d.pop("region", UNSET)

        _labels = d.pop("labels", UNSET)
        labels: UserPoolClientDocumentLabels | Unset
        if isinstance(_labels, Unset):
            labels = UNSET
        else:
            labels = UserPoolClientDocumentLabels.from_dict(_labels)

        _deletion_policy = d.pop("deletionPolicy", UNSET)
        deletion_policy: DeletionPolicy | Unset
        if isinstance(_deletion_policy, Unset):
            deletion_policy = UNSET
        else:
            deletion_policy = DeletionPolicy(_deletion_policy)

        _replacement_policy = d.pop("replacementPolicy", UNSET)
        replacement_policy: ReplacementPolicy | Unset
        if isinstance(_replacement_policy, Unset):
            replacement_policy = UNSET
        else:
            replacement_policy = ReplacementPolicy(_replacement_policy)

        _drift_policy = d.pop("driftPolicy", UNSET)
        drift_policy: DriftPolicy | Unset
        if isinstance(_drift_policy, Unset):
            drift_policy = UNSET
        else:
            drift_policy = DriftPolicy(_drift_policy)

        paused = d.pop("paused", UNSET)

        _adopt = d.pop("adopt", UNSET)
        adopt: Adopt | Unset
        if isinstance(_adopt, Unset):
            adopt = UNSET
        else:
            adopt = Adopt.from_dict(_adopt)

        drift_check_interval_seconds = d.pop("driftCheckIntervalSeconds", UNSET)

        user_pool_client_document = cls(
            properties=properties,
            region=region,
            labels=labels,
            deletion_policy=deletion_policy,
            replacement_policy=replacement_policy,
            drift_policy=drift_policy,
            paused=paused,
            adopt=adopt,
            drift_check_interval_seconds=drift_check_interval_seconds,
        )

        return user_pool_client_document
