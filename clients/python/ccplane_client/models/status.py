from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.phase import Phase
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.condition import Condition
    from ..models.current_operation import CurrentOperation
    from ..models.last_error import LastError
    from ..models.property_change import PropertyChange
    from ..models.rotation_status import RotationStatus
    from ..models.user_pool_client_properties import UserPoolClientProperties


T = TypeVar("T", bound="Status")


@_attrs_define
class Status:
    """Everything the reconciler observed about a resource.

    Attributes:
        phase (Phase): Where a resource is in its life.
        conditions (list[Condition]): Ready, Synced and Drifted.
        observed_generation (int | None | Unset): The generation last applied to AWS.
        identifier (None | str | Unset): Cloud Control identifier: `UserPoolId|ClientId`.
        previous_identifier (None | str | Unset): The identifier being replaced, while a replacement runs.
        client_id (None | str | Unset): Cognito's ClientId.
        observed_properties (None | Unset | UserPoolClientProperties): The live properties as last read, without
            `ClientSecret`.
        current_operation (CurrentOperation | None | Unset):
        last_error (LastError | None | Unset):
        drift (list[PropertyChange] | None | Unset): The properties found different from the desired state by the last
            drift check.
        secret_rotation (None | RotationStatus | Unset):
    """

    phase: Phase
    conditions: list[Condition]
    observed_generation: int | None | Unset = UNSET
    identifier: None | str | Unset = UNSET
    previous_identifier: None | str | Unset = UNSET
    client_id: None | str | Unset = UNSET
    observed_properties: None | Unset | UserPoolClientProperties = UNSET
    current_operation: CurrentOperation | None | Unset = UNSET
    last_error: LastError | None | Unset = UNSET
    drift: list[PropertyChange] | None | Unset = UNSET
    secret_rotation: None | RotationStatus | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.current_operation import CurrentOperation
        from ..models.last_error import LastError
        from ..models.rotation_status import RotationStatus
        from ..models.user_pool_client_properties import UserPoolClientProperties

        phase = self.phase.value

        conditions = []
        for conditions_item_data in self.conditions:
            conditions_item = conditions_item_data.to_dict()
            conditions.append(conditions_item)

        observed_generation: int | None | Unset
        if isinstance(self.observed_generation, Unset):
            observed_generation = UNSET
        else:
            observed_generation = self.observed_generation

        identifier: None | str | Unset
        if isinstance(self.identifier, Unset):
            identifier = UNSET
        else:
            identifier = self.identifier

        previous_identifier: None | str | Unset
        if isinstance(self.previous_identifier, Unset):
            previous_identifier = UNSET
        else:
            previous_identifier = self.previous_identifier

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        observed_properties: dict[str, Any] | None | Unset
        if isinstance(self.observed_properties, Unset):
            observed_properties = UNSET
        elif isinstance(self.observed_properties, UserPoolClientProperties):
            observed_properties = self.observed_properties.to_dict()
        else:
            observed_properties = self.observed_properties

        current_operation: dict[str, Any] | None | Unset
        if isinstance(self.current_operation, Unset):
            current_operation = UNSET
        elif isinstance(self.current_operation, CurrentOperation):
            current_operation = self.current_operation.to_dict()
        else:
            current_operation = self.current_operation

        last_error: dict[str, Any] | None | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        elif isinstance(self.last_error, LastError):
            last_error = self.last_error.to_dict()
        else:
            last_error = self.last_error

        drift: list[dict[str, Any]] | None | Unset
        if isinstance(self.drift, Unset):
            drift = UNSET
        elif isinstance(self.drift, list):
            drift = []
            for drift_type_0_item_data in self.drift:
                drift_type_0_item = drift_type_0_item_data.to_dict()
                drift.append(drift_type_0_item)

        else:
            drift = self.drift

        secret_rotation: dict[str, Any] | None | Unset
        if isinstance(self.secret_rotation, Unset):
            secret_rotation = UNSET
        elif isinstance(self.secret_rotation, RotationStatus):
            secret_rotation = self.secret_rotation.to_dict()
        else:
            secret_rotation = self.secret_rotation

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "phase": phase,
                "conditions": conditions,
            }
        )
        if observed_generation is not UNSET:
            field_dict["observedGeneration"] = observed_generation
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if previous_identifier is not UNSET:
            field_dict["previousIdentifier"] = previous_identifier
        if client_id is not UNSET:
            field_dict["clientId"] = client_id
        if observed_properties is not UNSET:
            field_dict["observedProperties"] = observed_properties
        if current_operation is not UNSET:
            field_dict["currentOperation"] = current_operation
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if drift is not UNSET:
            field_dict["drift"] = drift
        if secret_rotation is not UNSET:
            field_dict["secretRotation"] = secret_rotation

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.condition import Condition
        from ..models.current_operation import CurrentOperation
        from ..models.last_error import LastError
        from ..models.property_change import PropertyChange
        from ..models.rotation_status import RotationStatus
        from ..models.user_pool_client_properties import UserPoolClientProperties

        d = dict(src_dict)
        phase = Phase(d.pop("phase"))

        conditions = []
        _conditions = d.pop("conditions")
        for conditions_item_data in _conditions:
            conditions_item = Condition.from_dict(conditions_item_data)

            conditions.append(conditions_item)

        def _parse_observed_generation(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        observed_generation = _parse_observed_generation(
            d.pop("observedGeneration", UNSET)
        )

        def _parse_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier = _parse_identifier(d.pop("identifier", UNSET))

        def _parse_previous_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_identifier = _parse_previous_identifier(
            d.pop("previousIdentifier", UNSET)
        )

        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("clientId", UNSET))

        def _parse_observed_properties(
            data: object,
        ) -> None | Unset | UserPoolClientProperties:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                observed_properties_type_0 = UserPoolClientProperties.from_dict(data)

                return observed_properties_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UserPoolClientProperties, data)

        observed_properties = _parse_observed_properties(
            d.pop("observedProperties", UNSET)
        )

        def _parse_current_operation(data: object) -> CurrentOperation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                current_operation_type_0 = CurrentOperation.from_dict(data)

                return current_operation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CurrentOperation | None | Unset, data)

        current_operation = _parse_current_operation(d.pop("currentOperation", UNSET))

        def _parse_last_error(data: object) -> LastError | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                last_error_type_0 = LastError.from_dict(data)

                return last_error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(LastError | None | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))

        def _parse_drift(data: object) -> list[PropertyChange] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                drift_type_0 = []
                _drift_type_0 = data
                for drift_type_0_item_data in _drift_type_0:
                    drift_type_0_item = PropertyChange.from_dict(drift_type_0_item_data)

                    drift_type_0.append(drift_type_0_item)

                return drift_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PropertyChange] | None | Unset, data)

        drift = _parse_drift(d.pop("drift", UNSET))

        def _parse_secret_rotation(data: object) -> None | RotationStatus | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                secret_rotation_type_0 = RotationStatus.from_dict(data)

                return secret_rotation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RotationStatus | Unset, data)

        secret_rotation = _parse_secret_rotation(d.pop("secretRotation", UNSET))

        status = cls(
            phase=phase,
            conditions=conditions,
            observed_generation=observed_generation,
            identifier=identifier,
            previous_identifier=previous_identifier,
            client_id=client_id,
            observed_properties=observed_properties,
            current_operation=current_operation,
            last_error=last_error,
            drift=drift,
            secret_rotation=secret_rotation,
        )

        status.additional_properties = d
        return status

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
