from enum import StrEnum


class UserPoolClientPropertiesPatchPreventUserExistenceErrorsType0(StrEnum):
    ENABLED = "ENABLED"
    LEGACY = "LEGACY"

    def __str__(self) -> str:
        return str(self.value)
