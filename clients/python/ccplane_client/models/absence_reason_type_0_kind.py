from enum import StrEnum


class AbsenceReasonType0Kind(StrEnum):
    NOTFOUND = "notFound"

    def __str__(self) -> str:
        return str(self.value)
