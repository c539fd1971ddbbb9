from enum import StrEnum


class ManagementPolicy(StrEnum):
    MANAGE = "Manage"
    OBSERVE = "Observe"

    def __str__(self) -> str:
        return str(self.value)
