from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    EDITOR = "editor"
    SECRET_READER = "secret-reader"
    VIEWER = "viewer"

    def __str__(self) -> str:
        return str(self.value)
