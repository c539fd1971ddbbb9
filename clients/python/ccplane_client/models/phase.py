from enum import StrEnum


class Phase(StrEnum):
    DELETING = "Deleting"
    FAILED = "Failed"
    PENDING = "Pending"
    PROVISIONING = "Provisioning"
    READY = "Ready"

    def __str__(self) -> str:
        return str(self.value)
