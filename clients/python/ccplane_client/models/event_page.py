from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.absence_refuted_event import AbsenceRefutedEvent
    from ..models.absence_suspected_event import AbsenceSuspectedEvent
    from ..models.account_reachable_event import AccountReachableEvent
    from ..models.account_unreachable_event import AccountUnreachableEvent
    from ..models.adopted_event import AdoptedEvent
    from ..models.cancel_requested_event import CancelRequestedEvent
    from ..models.clients_adopted_event import ClientsAdoptedEvent
    from ..models.condition_changed_event import ConditionChangedEvent
    from ..models.deleted_event import DeletedEvent
    from ..models.deletion_requested_event import DeletionRequestedEvent
    from ..models.discovery_failed_event import DiscoveryFailedEvent
    from ..models.discovery_finished_event import DiscoveryFinishedEvent
    from ..models.discovery_progressed_event import DiscoveryProgressedEvent
    from ..models.discovery_started_event import DiscoveryStartedEvent
    from ..models.drift_detected_event import DriftDetectedEvent
    from ..models.failed_event import FailedEvent
    from ..models.in_sync_event import InSyncEvent
    from ..models.normalized_event import NormalizedEvent
    from ..models.operation_cancelled_event import OperationCancelledEvent
    from ..models.operation_failed_event import OperationFailedEvent
    from ..models.operation_lost_event import OperationLostEvent
    from ..models.operation_resumed_event import OperationResumedEvent
    from ..models.operation_submitted_event import OperationSubmittedEvent
    from ..models.operation_succeeded_event import OperationSucceededEvent
    from ..models.phase_changed_event import PhaseChangedEvent
    from ..models.refresh_requested_event import RefreshRequestedEvent
    from ..models.replacement_finished_event import ReplacementFinishedEvent
    from ..models.replacement_started_event import ReplacementStartedEvent
    from ..models.retry_scheduled_event import RetryScheduledEvent
    from ..models.rotated_secret_added_event import RotatedSecretAddedEvent
    from ..models.rotated_secret_retired_event import RotatedSecretRetiredEvent
    from ..models.rotation_started_event import RotationStartedEvent
    from ..models.secret_added_event import SecretAddedEvent
    from ..models.secret_delivered_event import SecretDeliveredEvent
    from ..models.secret_read_event import SecretReadEvent
    from ..models.secret_retired_event import SecretRetiredEvent
    from ..models.spec_changed_event import SpecChangedEvent
    from ..models.spec_created_event import SpecCreatedEvent
    from ..models.vanished_event import VanishedEvent


T = TypeVar("T", bound="EventPage")


@_attrs_define
class EventPage:
    """One page of Event items.

    Attributes:
        items (list[AbsenceRefutedEvent | AbsenceSuspectedEvent | AccountReachableEvent | AccountUnreachableEvent |
            AdoptedEvent | CancelRequestedEvent | ClientsAdoptedEvent | ConditionChangedEvent | DeletedEvent |
            DeletionRequestedEvent | DiscoveryFailedEvent | DiscoveryFinishedEvent | DiscoveryProgressedEvent |
            DiscoveryStartedEvent | DriftDetectedEvent | FailedEvent | InSyncEvent | NormalizedEvent |
            OperationCancelledEvent | OperationFailedEvent | OperationLostEvent | OperationResumedEvent |
            OperationSubmittedEvent | OperationSucceededEvent | PhaseChangedEvent | RefreshRequestedEvent |
            ReplacementFinishedEvent | ReplacementStartedEvent | RetryScheduledEvent | RotatedSecretAddedEvent |
            RotatedSecretRetiredEvent | RotationStartedEvent | SecretAddedEvent | SecretDeliveredEvent | SecretReadEvent |
            SecretRetiredEvent | SpecChangedEvent | SpecCreatedEvent | VanishedEvent]): The items, in the list's order.
        next_cursor (None | str | Unset): Pass as `cursor` to read the next page; absent on the last page.
    """

    items: list[
        AbsenceRefutedEvent
        | AbsenceSuspectedEvent
        | AccountReachableEvent
        | AccountUnreachableEvent
        | AdoptedEvent
        | CancelRequestedEvent
        | ClientsAdoptedEvent
        | ConditionChangedEvent
        | DeletedEvent
        | DeletionRequestedEvent
        | DiscoveryFailedEvent
        | DiscoveryFinishedEvent
        | DiscoveryProgressedEvent
        | DiscoveryStartedEvent
        | DriftDetectedEvent
        | FailedEvent
        | InSyncEvent
        | NormalizedEvent
        | OperationCancelledEvent
        | OperationFailedEvent
        | OperationLostEvent
        | OperationResumedEvent
        | OperationSubmittedEvent
        | OperationSucceededEvent
        | PhaseChangedEvent
        | RefreshRequestedEvent
        | ReplacementFinishedEvent
        | ReplacementStartedEvent
        | RetryScheduledEvent
        | RotatedSecretAddedEvent
        | RotatedSecretRetiredEvent
        | RotationStartedEvent
        | SecretAddedEvent
        | SecretDeliveredEvent
        | SecretReadEvent
        | SecretRetiredEvent
        | SpecChangedEvent
        | SpecCreatedEvent
        | VanishedEvent
    ]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.absence_refuted_event import AbsenceRefutedEvent
        from ..models.absence_suspected_event import AbsenceSuspectedEvent
        from ..models.account_reachable_event import AccountReachableEvent
        from ..models.account_unreachable_event import AccountUnreachableEvent
        from ..models.adopted_event import AdoptedEvent
        from ..models.cancel_requested_event import CancelRequestedEvent
        from ..models.condition_changed_event import ConditionChangedEvent
        from ..models.deleted_event import DeletedEvent
        from ..models.deletion_requested_event import DeletionRequestedEvent
        from ..models.discovery_failed_event import DiscoveryFailedEvent
        from ..models.discovery_finished_event import DiscoveryFinishedEvent
        from ..models.discovery_progressed_event import DiscoveryProgressedEvent
        from ..models.discovery_started_event import DiscoveryStartedEvent
        from ..models.drift_detected_event import DriftDetectedEvent
        from ..models.failed_event import FailedEvent
        from ..models.in_sync_event import InSyncEvent
        from ..models.normalized_event import NormalizedEvent
        from ..models.operation_cancelled_event import OperationCancelledEvent
        from ..models.operation_failed_event import OperationFailedEvent
        from ..models.operation_lost_event import OperationLostEvent
        from ..models.operation_resumed_event import OperationResumedEvent
        from ..models.operation_submitted_event import OperationSubmittedEvent
        from ..models.operation_succeeded_event import OperationSucceededEvent
        from ..models.phase_changed_event import PhaseChangedEvent
        from ..models.refresh_requested_event import RefreshRequestedEvent
        from ..models.replacement_finished_event import ReplacementFinishedEvent
        from ..models.replacement_started_event import ReplacementStartedEvent
        from ..models.retry_scheduled_event import RetryScheduledEvent
        from ..models.rotated_secret_added_event import RotatedSecretAddedEvent
        from ..models.rotated_secret_retired_event import RotatedSecretRetiredEvent
        from ..models.rotation_started_event import RotationStartedEvent
        from ..models.secret_added_event import SecretAddedEvent
        from ..models.secret_delivered_event import SecretDeliveredEvent
        from ..models.secret_read_event import SecretReadEvent
        from ..models.secret_retired_event import SecretRetiredEvent
        from ..models.spec_changed_event import SpecChangedEvent
        from ..models.spec_created_event import SpecCreatedEvent
        from ..models.vanished_event import VanishedEvent

        items = []
        for items_item_data in self.items:
            items_item: dict[str, Any]
            if (
                isinstance(items_item_data, SpecCreatedEvent)
                or isinstance(items_item_data, SpecChangedEvent)
                or isinstance(items_item_data, DeletionRequestedEvent)
                or isinstance(items_item_data, RefreshRequestedEvent)
                or isinstance(items_item_data, CancelRequestedEvent)
                or isinstance(items_item_data, SecretReadEvent)
                or isinstance(items_item_data, SecretAddedEvent)
                or isinstance(items_item_data, SecretRetiredEvent)
                or isinstance(items_item_data, RotationStartedEvent)
                or isinstance(items_item_data, RotatedSecretAddedEvent)
                or isinstance(items_item_data, SecretDeliveredEvent)
                or isinstance(items_item_data, RotatedSecretRetiredEvent)
                or isinstance(items_item_data, PhaseChangedEvent)
                or isinstance(items_item_data, ConditionChangedEvent)
                or isinstance(items_item_data, DeletedEvent)
                or isinstance(items_item_data, OperationSubmittedEvent)
                or isinstance(items_item_data, OperationResumedEvent)
                or isinstance(items_item_data, OperationSucceededEvent)
                or isinstance(items_item_data, OperationFailedEvent)
                or isinstance(items_item_data, OperationCancelledEvent)
                or isinstance(items_item_data, OperationLostEvent)
                or isinstance(items_item_data, RetryScheduledEvent)
                or isinstance(items_item_data, FailedEvent)
                or isinstance(items_item_data, AdoptedEvent)
                or isinstance(items_item_data, InSyncEvent)
                or isinstance(items_item_data, DriftDetectedEvent)
                or isinstance(items_item_data, NormalizedEvent)
                or isinstance(items_item_data, AbsenceSuspectedEvent)
                or isinstance(items_item_data, AbsenceRefutedEvent)
                or isinstance(items_item_data, VanishedEvent)
                or isinstance(items_item_data, ReplacementStartedEvent)
                or isinstance(items_item_data, ReplacementFinishedEvent)
                or isinstance(items_item_data, AccountUnreachableEvent)
                or isinstance(items_item_data, AccountReachableEvent)
                or isinstance(items_item_data, DiscoveryStartedEvent)
                or isinstance(items_item_data, DiscoveryProgressedEvent)
                or isinstance(items_item_data, DiscoveryFinishedEvent)
                or isinstance(items_item_data, DiscoveryFailedEvent)
            ):
                items_item = items_item_data.to_dict()
            else:
                items_item = items_item_data.to_dict()

            items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )
        if next_cursor is not UNSET:
            field_dict["nextCursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.absence_refuted_event import AbsenceRefutedEvent
        from ..models.absence_suspected_event import AbsenceSuspectedEvent
        from ..models.account_reachable_event import AccountReachableEvent
        from ..models.account_unreachable_event import AccountUnreachableEvent
        from ..models.adopted_event import AdoptedEvent
        from ..models.cancel_requested_event import CancelRequestedEvent
        from ..models.clients_adopted_event import ClientsAdoptedEvent
        from ..models.condition_changed_event import ConditionChangedEvent
        from ..models.deleted_event import DeletedEvent
        from ..models.deletion_requested_event import DeletionRequestedEvent
        from ..models.discovery_failed_event import DiscoveryFailedEvent
        from ..models.discovery_finished_event import DiscoveryFinishedEvent
        from ..models.discovery_progressed_event import DiscoveryProgressedEvent
        from ..models.discovery_started_event import DiscoveryStartedEvent
        from ..models.drift_detected_event import DriftDetectedEvent
        from ..models.failed_event import FailedEvent
        from ..models.in_sync_event import InSyncEvent
        from ..models.normalized_event import NormalizedEvent
        from ..models.operation_cancelled_event import OperationCancelledEvent
        from ..models.operation_failed_event import OperationFailedEvent
        from ..models.operation_lost_event import OperationLostEvent
        from ..models.operation_resumed_event import OperationResumedEvent
        from ..models.operation_submitted_event import OperationSubmittedEvent
        from ..models.operation_succeeded_event import OperationSucceededEvent
        from ..models.phase_changed_event import PhaseChangedEvent
        from ..models.refresh_requested_event import RefreshRequestedEvent
        from ..models.replacement_finished_event import ReplacementFinishedEvent
        from ..models.replacement_started_event import ReplacementStartedEvent
        from ..models.retry_scheduled_event import RetryScheduledEvent
        from ..models.rotated_secret_added_event import RotatedSecretAddedEvent
        from ..models.rotated_secret_retired_event import RotatedSecretRetiredEvent
        from ..models.rotation_started_event import RotationStartedEvent
        from ..models.secret_added_event import SecretAddedEvent
        from ..models.secret_delivered_event import SecretDeliveredEvent
        from ..models.secret_read_event import SecretReadEvent
        from ..models.secret_retired_event import SecretRetiredEvent
        from ..models.spec_changed_event import SpecChangedEvent
        from ..models.spec_created_event import SpecCreatedEvent
        from ..models.vanished_event import VanishedEvent

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:

            def _parse_items_item(
                data: object,
            ) -> (
                AbsenceRefutedEvent
                | AbsenceSuspectedEvent
                | AccountReachableEvent
                | AccountUnreachableEvent
                | AdoptedEvent
                | CancelRequestedEvent
                | ClientsAdoptedEvent
                | ConditionChangedEvent
                | DeletedEvent
                | DeletionRequestedEvent
                | DiscoveryFailedEvent
                | DiscoveryFinishedEvent
                | DiscoveryProgressedEvent
                | DiscoveryStartedEvent
                | DriftDetectedEvent
                | FailedEvent
                | InSyncEvent
                | NormalizedEvent
                | OperationCancelledEvent
                | OperationFailedEvent
                | OperationLostEvent
                | OperationResumedEvent
                | OperationSubmittedEvent
                | OperationSucceededEvent
                | PhaseChangedEvent
                | RefreshRequestedEvent
                | ReplacementFinishedEvent
                | ReplacementStartedEvent
                | RetryScheduledEvent
                | RotatedSecretAddedEvent
                | RotatedSecretRetiredEvent
                | RotationStartedEvent
                | SecretAddedEvent
                | SecretDeliveredEvent
                | SecretReadEvent
                | SecretRetiredEvent
                | SpecChangedEvent
                | SpecCreatedEvent
                | VanishedEvent
            ):
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_0 = SpecCreatedEvent.from_dict(data)

                    return componentsschemas_event_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_1 = SpecChangedEvent.from_dict(data)

                    return componentsschemas_event_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_2 = DeletionRequestedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_2
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_3 = RefreshRequestedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_3
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_4 = CancelRequestedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_4
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_5 = SecretReadEvent.from_dict(data)

                    return componentsschemas_event_type_5
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_6 = SecretAddedEvent.from_dict(data)

                    return componentsschemas_event_type_6
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_7 = SecretRetiredEvent.from_dict(data)

                    return componentsschemas_event_type_7
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_8 = RotationStartedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_8
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_9 = RotatedSecretAddedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_9
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_10 = SecretDeliveredEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_10
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_11 = (
                        RotatedSecretRetiredEvent.from_dict(data)
                    )

                    return componentsschemas_event_type_11
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_12 = PhaseChangedEvent.from_dict(data)

                    return componentsschemas_event_type_12
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_13 = ConditionChangedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_13
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_14 = DeletedEvent.from_dict(data)

                    return componentsschemas_event_type_14
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_15 = OperationSubmittedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_15
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_16 = OperationResumedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_16
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_17 = OperationSucceededEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_17
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_18 = OperationFailedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_18
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_19 = OperationCancelledEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_19
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_20 = OperationLostEvent.from_dict(data)

                    return componentsschemas_event_type_20
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_21 = RetryScheduledEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_21
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_22 = FailedEvent.from_dict(data)

                    return componentsschemas_event_type_22
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_23 = AdoptedEvent.from_dict(data)

                    return componentsschemas_event_type_23
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_24 = InSyncEvent.from_dict(data)

                    return componentsschemas_event_type_24
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_25 = DriftDetectedEvent.from_dict(data)

                    return componentsschemas_event_type_25
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_26 = NormalizedEvent.from_dict(data)

                    return componentsschemas_event_type_26
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_27 = AbsenceSuspectedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_27
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_28 = AbsenceRefutedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_28
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_29 = VanishedEvent.from_dict(data)

                    return componentsschemas_event_type_29
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_30 = ReplacementStartedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_30
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_31 = (
                        ReplacementFinishedEvent.from_dict(data)
                    )

                    return componentsschemas_event_type_31
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_32 = AccountUnreachableEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_32
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_33 = AccountReachableEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_33
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_34 = DiscoveryStartedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_34
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_35 = (
                        DiscoveryProgressedEvent.from_dict(data)
                    )

                    return componentsschemas_event_type_35
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_36 = DiscoveryFinishedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_36
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_event_type_37 = DiscoveryFailedEvent.from_dict(
                        data
                    )

                    return componentsschemas_event_type_37
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_event_type_38 = ClientsAdoptedEvent.from_dict(data)

                return componentsschemas_event_type_38

            items_item = _parse_items_item(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor", UNSET))

        event_page = cls(
            items=items,
            next_cursor=next_cursor,
        )

        event_page.additional_properties = d
        return event_page

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
