from enum import StrEnum


class UserPoolClientTokenValidityUnitsAccessToken(StrEnum):
    DAYS = "days"
    HOURS = "hours"
    MINUTES = "minutes"
    SECONDS = "seconds"

    def __str__(self) -> str:
        return str(self.value)
