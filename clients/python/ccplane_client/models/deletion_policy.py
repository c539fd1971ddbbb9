from enum import StrEnum


class DeletionPolicy(StrEnum):
    DELETE = "Delete"
    RETAIN = "Retain"

    def __str__(self) -> str:
        return str(self.value)
