from enum import StrEnum


class AbsenceReasonType1Kind(StrEnum):
    UNFINISHEDCREATE = "unfinishedCreate"

    def __str__(self) -> str:
        return str(self.value)
