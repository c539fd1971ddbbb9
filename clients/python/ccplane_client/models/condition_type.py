from enum import StrEnum


class ConditionType(StrEnum):
    DRIFTED = "Drifted"
    READY = "Ready"
    SYNCED = "Synced"

    def __str__(self) -> str:
        return str(self.value)
