from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.deletion_policy import DeletionPolicy
from ..models.drift_policy import DriftPolicy
from ..models.management_policy import ManagementPolicy
from ..models.replacement_policy import ReplacementPolicy
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.adopt import Adopt
    from ..models.metadata import Metadata
    from ..models.secret_rotation import SecretRotation
    from ..models.status import Status
    from ..models.user_pool_client_labels import UserPoolClientLabels
    from ..models.user_pool_client_properties import UserPoolClientProperties
    from ..models.violation import Violation


T = TypeVar("T", bound="UserPoolClient")


@_attrs_define
class UserPoolClient:
    """A UserPoolClient as the API shows it: desired state, metadata and observed status.

    Attributes:
        region (str): AWS region of the client; defaults to the server's configured region. Example: us-east-1.
        labels (UserPoolClientLabels): Free-form labels for selection (`labels=team=payments`).
        properties (UserPoolClientProperties): AWS::Cognito::UserPoolClient properties, with CloudFormation's names.
        deletion_policy (DeletionPolicy): What happens in AWS when the resource is deleted from ccplane.
        replacement_policy (ReplacementPolicy): What happens when a create-only property (`UserPoolId`,
            `GenerateSecret`) changes.
        drift_policy (DriftPolicy): What happens when the live client differs from the desired state.
        management_policy (ManagementPolicy): Whether ccplane may change the client in AWS, or only read it.
        paused (bool): When true the reconciler leaves the resource alone.
        namespace (str): The namespace (a team or application).
        name (str): The name, unique in its namespace.
        metadata (Metadata): Identity and versions of a resource.
        status (Status): Everything the reconciler observed about a resource.
        adopt (Adopt | None | Unset):
        drift_check_interval_seconds (int | None | Unset): Seconds between drift checks of this client; the server's
            default when absent.
        secret_rotation (None | SecretRotation | Unset):
        warnings (list[Violation] | Unset): Settings accepted but without effect (write responses only).
    """

    region: str
    labels: UserPoolClientLabels
    properties: UserPoolClientProperties
    deletion_policy: DeletionPolicy
    replacement_policy: ReplacementPolicy
    drift_policy: DriftPolicy
    management_policy: ManagementPolicy
    paused: bool
    namespace: str
    name: str
    metadata: Metadata
    status: Status
    adopt: Adopt | None | Unset = UNSET
    drift_check_interval_seconds: int | None | Unset = UNSET
    secret_rotation: None | SecretRotation | Unset = UNSET
    warnings: list[Violation] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.adopt import Adopt
        from ..models.secret_rotation import SecretRotation

        region = self.region

        labels = self.labels.to_dict()

        properties = self.properties.to_dict()

        deletion_policy = self.deletion_policy.value

        replacement_policy = self.replacement_policy.value

        drift_policy = self.drift_policy.value

        management_policy = self.management_policy.value

        paused = self.paused

        namespace = self.namespace

        name = self.name

        metadata = self.metadata.to_dict()

        status = self.status.to_dict()

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
        elif isinstance(self.secret_rotation, SecretRotation):
            secret_rotation = self.secret_rotation.to_dict()
        else:
            secret_rotation = self.secret_rotation

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "region": region,
                "labels": labels,
                "properties": properties,
                "deletionPolicy": deletion_policy,
                "replacementPolicy": replacement_policy,
                "driftPolicy": drift_policy,
                "managementPolicy": management_policy,
                "paused": paused,
                "namespace": namespace,
                "name": name,
                "metadata": metadata,
                "status": status,
            }
        )
        if adopt is not UNSET:
            field_dict["adopt"] = adopt
        if drift_check_interval_seconds is not UNSET:
            field_dict["driftCheckIntervalSeconds"] = drift_check_interval_seconds
        if secret_rotation is not UNSET:
            field_dict["secretRotation"] = secret_rotation
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.adopt import Adopt
        from ..models.metadata import Metadata
        from ..models.secret_rotation import SecretRotation
        from ..models.status import Status
        from ..models.user_pool_client_labels import UserPoolClientLabels
        from ..models.user_pool_client_properties import UserPoolClientProperties
        from ..models.violation import Violation

        d = dict(src_dict)
        region = d.pop("region")

        labels = UserPoolClientLabels.from_dict(d.pop("labels"))

        properties = UserPoolClientProperties.from_dict(d.pop("properties"))

        deletion_policy = DeletionPolicy(d.pop("deletionPolicy"))

        replacement_policy = ReplacementPolicy(d.pop("replacementPolicy"))

        drift_policy = DriftPolicy(d.pop("driftPolicy"))

        management_policy = ManagementPolicy(d.pop("managementPolicy"))

        paused = d.pop("paused")

        namespace = d.pop("namespace")

        name = d.pop("name")

        metadata = Metadata.from_dict(d.pop("metadata"))

        status = Status.from_dict(d.pop("status"))

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

        def _parse_secret_rotation(data: object) -> None | SecretRotation | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                secret_rotation_type_0 = SecretRotation.from_dict(data)

                return secret_rotation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SecretRotation | Unset, data)

        secret_rotation = _parse_secret_rotation(d.pop("secretRotation", UNSET))

        _warnings = d.pop("warnings", UNSET)
        warnings: list[Violation] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = Violation.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        user_pool_client = cls(
            region=region,
            labels=labels,
            properties=properties,
            deletion_policy=deletion_policy,
            replacement_policy=replacement_policy,
            drift_policy=drift_policy,
            management_policy=management_policy,
            paused=paused,
            namespace=namespace,
            name=name,
            metadata=metadata,
            status=status,
            adopt=adopt,
            drift_check_interval_seconds=drift_check_interval_seconds,
            secret_rotation=secret_rotation,
            warnings=warnings,
        )

        user_pool_client.additional_properties = d
        return user_pool_client

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
