from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.phase_transition import PhaseTransition
    from ..models.property_change import PropertyChange


T = TypeVar("T", bound="EventData")


@_attrs_define
class EventData:
    """Details of an event. Which fields are set depends on its kind: `changedFields` (SpecCreated, SpecChanged); `from`
    and `to` (PhaseChanged); `phase` (DeletionRequested); the condition's `type`, `status`, `reason`, `message`,
    `lastTransitionTime` and `observedGeneration` (ConditionChanged); `operation`, `kind`, `requestToken` and
    `clientToken` (operations); `errorCode` and `attempt` (failures and retries); `changes` (DriftDetected);
    `identifier`, `fields`, `policy` and `deleted` (adoption, replacement, deletion). Kinds may add fields.

        Attributes:
            changed_fields (list[str] | Unset): JSON Pointers of the document fields that changed.
            from_ (str | Unset): The phase before.
            to (str | Unset): The phase after.
            phase (PhaseTransition | Unset): A change of phase.
            type_ (str | Unset): The condition's type.
            status (str | Unset): The condition's status.
            reason (str | Unset): The condition's reason.
            message (str | Unset): The condition's message.
            last_transition_time (datetime.datetime | Unset):
            observed_generation (int | Unset):
            operation (UUID | Unset): ccplane's id of the operation.
            kind (str | Unset): The operation's kind: Create, Update or Delete.
            request_token (None | str | Unset): Cloud Control's RequestToken.
            client_token (str | Unset): The ClientToken sent with the request.
            error_code (str | Unset): Cloud Control's error code.
            attempt (int | Unset): The attempt that failed.
            changes (list[PropertyChange] | Unset): The properties found different (DriftDetected).
            identifier (None | str | Unset): A Cloud Control identifier `UserPoolId|ClientId`.
            fields (list[str] | Unset): Create-only properties that changed.
            policy (str | Unset): The replacement policy.
            deleted (None | str | Unset): The identifier of the replaced client.
    """

    changed_fields: list[str] | Unset = UNSET
    from_: str | Unset = UNSET
    to: str | Unset = UNSET
    phase: PhaseTransition | Unset = UNSET
    type_: str | Unset = UNSET
    status: str | Unset = UNSET
    reason: str | Unset = UNSET
    message: str | Unset = UNSET
    last_transition_time: datetime.datetime | Unset = UNSET
    observed_generation: int | Unset = UNSET
    operation: UUID | Unset = UNSET
    kind: str | Unset = UNSET
    request_token: None | str | Unset = UNSET
    client_token: str | Unset = UNSET
    error_code: str | Unset = UNSET
    attempt: int | Unset = UNSET
    changes: list[PropertyChange] | Unset = UNSET
    identifier: None | str | Unset = UNSET
    fields: list[str] | Unset = UNSET
    policy: str | Unset = UNSET
    deleted: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        changed_fields: list[str] | Unset = UNSET
        if not isinstance(self.changed_fields, Unset):
            changed_fields = self.changed_fields

        from_ = self.from_

        to = self.to

        phase: dict[str, Any] | Unset = UNSET
        if not isinstance(self.phase, Unset):
            phase = self.phase.to_dict()

        type_ = self.type_

        status = self.status

        reason = self.reason

        message = self.message

        last_transition_time: str | Unset = UNSET
        if not isinstance(self.last_transition_time, Unset):
            last_transition_time = self.last_transition_time.isoformat()

        observed_generation = self.observed_generation

        operation: str | Unset = UNSET
        if not isinstance(self.operation, Unset):
            operation = str(self.operation)

        kind = self.kind

        request_token: None | str | Unset
        if isinstance(self.request_token, Unset):
            request_token = UNSET
        else:
            request_token = self.request_token

        client_token = self.client_token

        error_code = self.error_code

        attempt = self.attempt

        changes: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.changes, Unset):
            changes = []
            for changes_item_data in self.changes:
                changes_item = changes_item_data.to_dict()
                changes.append(changes_item)

        identifier: None | str | Unset
        if isinstance(self.identifier, Unset):
            identifier = UNSET
        else:
            identifier = self.identifier

        fields: list[str] | Unset = UNSET
        if not isinstance(self.fields, Unset):
            fields = self.fields

        policy = self.policy

        deleted: None | str | Unset
        if isinstance(self.deleted, Unset):
            deleted = UNSET
        else:
            deleted = self.deleted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if changed_fields is not UNSET:
            field_dict["changedFields"] = changed_fields
        if from_ is not UNSET:
            field_dict["from"] = from_
        if to is not UNSET:
            field_dict["to"] = to
        if phase is not UNSET:
            field_dict["phase"] = phase
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if message is not UNSET:
            field_dict["message"] = message
        if last_transition_time is not UNSET:
            field_dict["lastTransitionTime"] = last_transition_time
        if observed_generation is not UNSET:
            field_dict["observedGeneration"] = observed_generation
        if operation is not UNSET:
            field_dict["operation"] = operation
        if kind is not UNSET:
            field_dict["kind"] = kind
        if request_token is not UNSET:
            field_dict["requestToken"] = request_token
        if client_token is not UNSET:
            field_dict["clientToken"] = client_token
        if error_code is not UNSET:
            field_dict["errorCode"] = error_code
        if attempt is not UNSET:
            field_dict["attempt"] = attempt
        if changes is not UNSET:
            field_dict["changes"] = changes
        if identifier is not UNSET:
            field_dict["identifier"] = identifier
        if fields is not UNSET:
            field_dict["fields"] = fields
        if policy is not UNSET:
            field_dict["policy"] = policy
        if deleted is not UNSET:
            field_dict["deleted"] = deleted

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.phase_transition import PhaseTransition
        from ..models.property_change import PropertyChange

        d = dict(src_dict)
        changed_fields = cast(list[str], d.pop("changedFields", UNSET))

        from_ = d.pop("from", UNSET)

        to = d.pop("to", UNSET)

        _phase = d.pop("phase", UNSET)
        phase: PhaseTransition | Unset
        if isinstance(_phase, Unset):
            phase = UNSET
        else:
            phase = PhaseTransition.from_dict(_phase)

        type_ = d.pop("type", UNSET)

        status = d.pop("status", UNSET)

        reason = d.pop("reason", UNSET)

        message = d.pop("message", UNSET)

        _last_transition_time = d.pop("lastTransitionTime", UNSET)
        last_transition_time: datetime.datetime | Unset
        if isinstance(_last_transition_time, Unset):
            last_transition_time = UNSET
        else:
            last_transition_time = datetime.datetime.fromisoformat(
                _last_transition_time
            )

        observed_generation = d.pop("observedGeneration", UNSET)

        _operation = d.pop("operation", UNSET)
        operation: UUID | Unset
        if isinstance(_operation, Unset):
            operation = UNSET
        else:
            operation = UUID(_operation)

        kind = d.pop("kind", UNSET)

        def _parse_request_token(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_token = _parse_request_token(d.pop("requestToken", UNSET))

        client_token = d.pop("clientToken", UNSET)

        error_code = d.pop("errorCode", UNSET)

        attempt = d.pop("attempt", UNSET)

        _changes = d.pop("changes", UNSET)
        changes: list[PropertyChange] | Unset = UNSET
        if _changes is not UNSET:
            changes = []
            for changes_item_data in _changes:
                changes_item = PropertyChange.from_dict(changes_item_data)

                changes.append(changes_item)

        def _parse_identifier(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        identifier = _parse_identifier(d.pop("identifier", UNSET))

        fields = cast(list[str], d.pop("fields", UNSET))

        policy = d.pop("policy", UNSET)

        def _parse_deleted(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        deleted = _parse_deleted(d.pop("deleted", UNSET))

        event_data = cls(
            changed_fields=changed_fields,
            from_=from_,
            to=to,
            phase=phase,
            type_=type_,
            status=status,
            reason=reason,
            message=message,
            last_transition_time=last_transition_time,
            observed_generation=observed_generation,
            operation=operation,
            kind=kind,
            request_token=request_token,
            client_token=client_token,
            error_code=error_code,
            attempt=attempt,
            changes=changes,
            identifier=identifier,
            fields=fields,
            policy=policy,
            deleted=deleted,
        )

        event_data.additional_properties = d
        return event_data

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
