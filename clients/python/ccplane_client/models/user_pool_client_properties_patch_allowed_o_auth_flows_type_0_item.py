from enum import StrEnum


class UserPoolClientPropertiesPatchAllowedOAuthFlowsType0Item(StrEnum):
    CLIENT_CREDENTIALS = "client_credentials"
    CODE = "code"
    IMPLICIT = "implicit"

    def __str__(self) -> str:
        return str(self.value)
