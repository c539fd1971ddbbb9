from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.drift_coverage import DriftCoverage


T = TypeVar("T", bound="Namespace")


@_attrs_define
class Namespace:
    """A namespace's AWS targets.

    Attributes:
        name (str): The namespace.
        allowed_regions (list[str]): Regions its documents may name; empty means any.
        scheduling_weight (float): The namespace's share of every budget relative to other busy namespaces (default 1).
        created_at (datetime.datetime): When the settings were created.
        updated_at (datetime.datetime): When they last changed.
        role_arn (None | str | Unset): The IAM role ARN Cloud Control runs the handler with, inside the namespace's
            account.
        assume_role_arn (None | str | Unset): The IAM role ccplane assumes (`sts:AssumeRole`, with its own credentials)
            to reach the
            namespace's AWS account; absent: ccplane's own account.
        external_id (None | str | Unset): The external ID sent with AssumeRole (an identifier, not a secret).
        drift_coverage (DriftCoverage | None | Unset):
    """

    name: str
    allowed_regions: list[str]
    scheduling_weight: float
    created_at: datetime.datetime
    updated_at: datetime.datetime
    role_arn: None | str | Unset = UNSET
    assume_role_arn: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    drift_coverage: DriftCoverage | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.drift_coverage import DriftCoverage

        name = self.name

        allowed_regions = self.allowed_regions

        scheduling_weight = self.scheduling_weight

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        role_arn: None | str | Unset
        if isinstance(self.role_arn, Unset):
            role_arn = UNSET
        else:
            role_arn = self.role_arn

        assume_role_arn: None | str | Unset
        if isinstance(self.assume_role_arn, Unset):
            assume_role_arn = UNSET
        else:
            assume_role_arn = self.assume_role_arn

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        drift_coverage: dict[str, Any] | None | Unset
        if isinstance(self.drift_coverage, Unset):
            drift_coverage = UNSET
        elif isinstance(self.drift_coverage, DriftCoverage):
            drift_coverage = self.drift_coverage.to_dict()
        else:
            drift_coverage = self.drift_coverage

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "allowedRegions": allowed_regions,
                "schedulingWeight": scheduling_weight,
                "createdAt": created_at,
                "updatedAt": updated_at,
            }
        )
        if role_arn is not UNSET:
            field_dict["roleArn"] = role_arn
        if assume_role_arn is not UNSET:
            field_dict["assumeRoleArn"] = assume_role_arn
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if drift_coverage is not UNSET:
            field_dict["driftCoverage"] = drift_coverage

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.drift_coverage import DriftCoverage

        d = dict(src_dict)
        name = d.pop("name")

        allowed_regions = cast(list[str], d.pop("allowedRegions"))

        scheduling_weight = d.pop("schedulingWeight")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updatedAt"))

        def _parse_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role_arn = _parse_role_arn(d.pop("roleArn", UNSET))

        def _parse_assume_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        assume_role_arn = _parse_assume_role_arn(d.pop("assumeRoleArn", UNSET))

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))

        def _parse_drift_coverage(data: object) -> DriftCoverage | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                drift_coverage_type_0 = DriftCoverage.from_dict(data)

                return drift_coverage_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(DriftCoverage | None | Unset, data)

        drift_coverage = _parse_drift_coverage(d.pop("driftCoverage", UNSET))

        namespace = cls(
            name=name,
            allowed_regions=allowed_regions,
            scheduling_weight=scheduling_weight,
            created_at=created_at,
            updated_at=updated_at,
            role_arn=role_arn,
            assume_role_arn=assume_role_arn,
            external_id=external_id,
            drift_coverage=drift_coverage,
        )

        namespace.additional_properties = d
        return namespace

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
