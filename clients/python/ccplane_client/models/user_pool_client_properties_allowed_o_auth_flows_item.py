from enum import StrEnum


class UserPoolClientPropertiesAllowedOAuthFlowsItem(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    CODE = "code"
    IMPLICIT = "implicit"

    def __str__(self) -> str:
        return str(self.value)
