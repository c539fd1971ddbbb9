from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_patch_operation import JsonPatchOperation
    from ..models.property_change import PropertyChange
    from ..models.violation import Violation


T = TypeVar("T", bound="Plan")


@_attrs_define
class Plan:
    """What a candidate document would do, computed without storing it or calling a mutating API.

    Attributes:
        action (str): `create`, `update`, `replace`, `none`, or `reject` (a replacement the policy refuses). Example:
            update.
        patch (list[JsonPatchOperation]): The RFC 6902 patch an update would send.
        replacement_fields (list[str]): Create-only properties whose change forces replacement.
        changes (list[PropertyChange]): The field-level differences from the live client.
        calls (list[str]): The Cloud Control calls it would take, in order.
        warnings (list[Violation] | Unset): Settings accepted but without effect.
    """

    action: str
    patch: list[JsonPatchOperation]
    replacement_fields: list[str]
    changes: list[PropertyChange]
    calls: list[str]
    warnings: list[Violation] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        patch = []
        for patch_item_data in self.patch:
            patch_item = patch_item_data.to_dict()
            patch.append(patch_item)

        replacement_fields = self.replacement_fields

        changes = []
        for changes_item_data in self.changes:
            changes_item = changes_item_data.to_dict()
            changes.append(changes_item)

        calls = self.calls

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
                "action": action,
                "patch": patch,
                "replacementFields": replacement_fields,
                "changes": changes,
                "calls": calls,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.json_patch_operation import JsonPatchOperation
        from ..models.property_change import PropertyChange
        from ..models.violation import Violation

        d = dict(src_dict)
        action = d.pop("action")

        patch = []
        _patch = d.pop("patch")
        for patch_item_data in _patch:
            patch_item = JsonPatchOperation.from_dict(patch_item_data)

            patch.append(patch_item)

        replacement_fields = cast(list[str], d.pop("replacementFields"))

        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:
            changes_item = PropertyChange.from_dict(changes_item_data)

            changes.append(changes_item)

        calls = cast(list[str], d.pop("calls"))

        _warnings = d.pop("warnings", UNSET)
        warnings: list[Violation] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = Violation.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        plan = cls(
            action=action,
            patch=patch,
            replacement_fields=replacement_fields,
            changes=changes,
            calls=calls,
            warnings=warnings,
        )

        plan.additional_properties = d
        return plan

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
