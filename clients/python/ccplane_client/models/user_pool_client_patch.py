from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.deletion_policy import DeletionPolicy
from ..models.drift_policy import DriftPolicy
from ..models.management_policy import ManagementPolicy
from ..models.replacement_policy import ReplacementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adopt import Adopt
    from ..models.secret_rotation_patch import SecretRotationPatch
    from ..models.user_pool_client_patch_labels_type_0 import (
        UserPoolClientPatchLabelsType0,
    )
    from ..models.user_pool_client_properties_patch import UserPoolClientPropertiesPatch


T = TypeVar("T", bound="UserPoolClientPatch")


@_attrs_define
class UserPoolClientPatch:
    """A JSON Merge Patch (RFC 7396) of a UserPoolClient's desired state: every field is optional.

    A field that is absent stays as it is; `null` removes it, which brings back its default (for
    a label or a property: removes it). Objects merge recursively, arrays are replaced whole.

        Attributes:
            region (None | str | Unset): AWS region of the client; `null`: the server's default region. Example: us-east-1.
            labels (None | Unset | UserPoolClientPatchLabelsType0): Labels to set; a label set to `null` is removed, and
                `null` removes them all. Example: {'tier': 'gold', 'team': None}.
            properties (UserPoolClientPropertiesPatch | Unset): A merge patch of UserPoolClient properties: the properties
                to set, `null` to remove one.
            deletion_policy (DeletionPolicy | None | Unset):
            replacement_policy (None | ReplacementPolicy | Unset):
            drift_policy (DriftPolicy | None | Unset):
            management_policy (ManagementPolicy | None | Unset):
            paused (bool | None | Unset): When true the reconciler leaves the resource alone; `null`: false.
            adopt (Adopt | None | Unset):
            drift_check_interval_seconds (int | None | Unset): Seconds between drift checks; `null`: the server's default.
            secret_rotation (None | SecretRotationPatch | Unset):
    """

    region: None | str | Unset = UNSET
    labels: None | Unset | UserPoolClientPatchLabelsType0 = UNSET
    properties: UserPoolClientPropertiesPatch | Unset = UNSET
    deletion_policy: DeletionPolicy | None | Unset = UNSET
    replacement_policy: None | ReplacementPolicy | Unset = UNSET
    drift_policy: DriftPolicy | None | Unset = UNSET
    management_policy: ManagementPolicy | None | Unset = UNSET
    paused: bool | None | Unset = UNSET
    adopt: Adopt | None | Unset = UNSET
    drift_check_interval_seconds: int | None | Unset = UNSET
    secret_rotation: None | SecretRotationPatch | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.adopt import Adopt
        from ..models.secret_rotation_patch import SecretRotationPatch
        from ..models.user_pool_client_patch_labels_type_0 import (
            UserPoolClientPatchLabelsType0,
        )

        region: None | str | Unset
        if isinstance(self.region, Unset):
            region = UNSET
        else:
            region = self.region

        labels: dict[str, Any] | None | Unset
        if isinstance(self.labels, Unset):
            labels = UNSET
        elif isinstance(self.labels, UserPoolClientPatchLabelsType0):
            labels = self.labels.to_dict()
        else:
            labels = self.labels

        properties: dict[str, Any] | Unset = UNSET
        if not isinstance(self.properties, Unset):
            properties = self.properties.to_dict()

        deletion_policy: None | str | Unset
        if isinstance(self.deletion_policy, Unset):
            deletion_policy = UNSET
        elif isinstance(self.deletion_policy, DeletionPolicy):
            deletion_policy = self.deletion_policy.value
        else:
            deletion_policy = self.deletion_policy

        replacement_policy: None | str | Unset
        if isinstance(self.replacement_policy, Unset):
            replacement_policy = UNSET
        elif isinstance(self.replacement_policy, ReplacementPolicy):
            replacement_policy = self.replacement_policy.value
        else:
            replacement_policy = self.replacement_policy

        drift_policy: None | str | Unset
        if isinstance(self.drift_policy, Unset):
            drift_policy = UNSET
        elif isinstance(self.drift_policy, DriftPolicy):
            drift_policy = self.drift_policy.value
        else:
            drift_policy = self.drift_policy

        management_policy: None | str | Unset
        if isinstance(self.management_policy, Unset):
            management_policy = UNSET
        elif isinstance(self.management_policy, ManagementPolicy):
            management_policy = self.management_policy.value
        else:
            management_policy = self.management_policy

        paused: bool | None | Unset
        if isinstance(self.paused, Unset):
            paused = UNSET
        else:
            paused = self.paused

        adopt: dict[str, Any] | None | Unset
        if isinstance(self.adopt, Unset):
            adopt = UNSET
        elif isinstance(self.adopt, Adopt):
            adopt = self.adopt.to_dict()
        else:
            adopt = self.adopt

        drift_check_interval_seconds: int | None | Unset
        if isinstance(self.drift_check_interval_seconds, Unset):
            drift_check_interval_seconds = UNSET
        else:
            drift_check_interval_seconds = self.drift_check_interval_seconds

        secret_rotation: dict[str, Any] | None | Unset
        if isinstance(self.secret_rotation, Unset):
            secret_rotation = UNSET
        elif isinstance(self.secret_rotation, SecretRotationPatch):
            secret_rotation = self.secret_rotation.to_dict()
        else:
            secret_rotation = self.secret_rotation

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if region is not UNSET:
            field_dict["region"] = region
        if labels is not UNSET:
            field_dict["labels"] = labels
        if properties is not UNSET:
            field_dict["properties"] = properties
        if deletion_policy is not UNSET:
            field_dict["deletionPolicy"] = deletion_policy
        if replacement_policy is not UNSET:
            field_dict["replacementPolicy"] = replacement_policy
        if drift_policy is not UNSET:
            field_dict["driftPolicy"] = drift_policy
        if management_policy is not UNSET:
            field_dict["managementPolicy"] = management_policy
        if paused is not UNSET:
            field_dict["paused"] = paused
        if adopt is not UNSET:
            field_dict["adopt"] = adopt
        if drift_check_interval_seconds is not UNSET:
            field_dict["driftCheckIntervalSeconds"] = drift_check_interval_seconds
        if secret_rotation is not UNSET:
            field_dict["secretRotation"] = secret_rotation

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adopt import Adopt
        from ..models.secret_rotation_patch import SecretRotationPatch
        from ..models.user_pool_client_patch_labels_type_0 import (
            UserPoolClientPatchLabelsType0,
        )
        from ..models.user_pool_client_properties_patch import (
            UserPoolClientPropertiesPatch,
        )

        d = dict(src_dict)

        def _parse_region(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        region = _parse_region(d.pop("region", UNSET))

        def _parse_labels(
            data: object,
        ) -> None | Unset | UserPoolClientPatchLabelsType0:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                labels_type_0 = UserPoolClientPatchLabelsType0.from_dict(data)

                return labels_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserPoolClientPatchLabelsType0, data)

        labels = _parse_labels(d.pop("labels", UNSET))

        _properties = d.pop("properties", UNSET)
        properties: UserPoolClientPropertiesPatch | Unset
        if isinstance(_properties, Unset):
            properties = UNSET
        else:
            properties = UserPoolClientPropertiesPatch.from_dict(_properties)

        def _parse_deletion_policy(data: object) -> DeletionPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                deletion_policy_type_0 = DeletionPolicy(data)

                return deletion_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DeletionPolicy | None | Unset, data)

        deletion_policy = _parse_deletion_policy(d.pop("deletionPolicy", UNSET))

        def _parse_replacement_policy(data: object) -> None | ReplacementPolicy | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replacement_policy_type_0 = ReplacementPolicy(data)

                return replacement_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ReplacementPolicy | Unset, data)

        replacement_policy = _parse_replacement_policy(
            d.pop("replacementPolicy", UNSET)
        )

        def _parse_drift_policy(data: object) -> DriftPolicy | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                drift_policy_type_0 = DriftPolicy(data)

                return drift_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriftPolicy | None | Unset, data)

        drift_policy = _parse_drift_policy(d.pop("driftPolicy", UNSET))

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

        def _parse_paused(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        paused = _parse_paused(d.pop("paused", UNSET))

        def _parse_adopt(data: object) -> Adopt | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                adopt_type_0 = Adopt.from_dict(data)

                return adopt_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Adopt | None | Unset, data)

        adopt = _parse_adopt(d.pop("adopt", UNSET))

        def _parse_drift_check_interval_seconds(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        drift_check_interval_seconds = _parse_drift_check_interval_seconds(
            d.pop("driftCheckIntervalSeconds", UNSET)
        )

        def _parse_secret_rotation(data: object) -> None | SecretRotationPatch | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                secret_rotation_type_0 = SecretRotationPatch.from_dict(data)

                return secret_rotation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SecretRotationPatch | Unset, data)

        secret_rotation = _parse_secret_rotation(d.pop("secretRotation", UNSET))

        user_pool_client_patch = cls(
            region=region,
            labels=labels,
            properties=properties,
            deletion_policy=deletion_policy,
            replacement_policy=replacement_policy,
            drift_policy=drift_policy,
            management_policy=management_policy,
            paused=paused,
            adopt=adopt,
            drift_check_interval_seconds=drift_check_interval_seconds,
            secret_rotation=secret_rotation,
        )

        return user_pool_client_patch
