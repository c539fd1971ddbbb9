from enum import StrEnum


class ClientState(StrEnum):
    ADOPTED = "Adopted"
    FAILED = "Failed"
    MANAGED = "Managed"
    PENDING = "Pending"
    READ = "Read"

    def __str__(self) -> str:
        return str(self.value)
