from enum import StrEnum


class UserPoolClientTokenValidityUnitsRefreshToken(StrEnum):
    DAYS = "days"
    HOURS = "hours"
    MINUTES = "minutes"
    SECONDS = "seconds"

    def __str__(self) -> str:
        return str(self.value)
