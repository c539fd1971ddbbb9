from enum import StrEnum


class UserPoolClientPropertiesPreventUserExistenceErrors(StrEnum):
    ENABLED = "ENABLED"
    LEGACY = "LEGACY"

    def __str__(self) -> str:
        return str(self.value)
