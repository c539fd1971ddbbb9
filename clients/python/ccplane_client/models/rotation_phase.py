from enum import StrEnum


class RotationPhase(StrEnum):
    GIVEN = "Given"
    PENDING = "Pending"
    PROMOTED = "Promoted"
    STARTED = "Started"

    def __str__(self) -> str:
        return str(self.value)
