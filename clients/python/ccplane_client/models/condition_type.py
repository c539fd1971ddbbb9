from enum import StrEnum


class ConditionType(StrEnum):
    DRIFTED = "Drifted"
    READY = "Ready"
    SECRETROTATED = "SecretRotated"
    SYNCED = "Synced"

    def __str__(self) -> str:
        return str(self.value)
