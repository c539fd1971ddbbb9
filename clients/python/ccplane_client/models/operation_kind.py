from enum import StrEnum


class OperationKind(StrEnum):
    CREATE = "Create"
    DELETE = "Delete"
    UPDATE = "Update"

    def __str__(self) -> str:
        return str(self.value)
