from enum import StrEnum


class DriftPolicy(StrEnum):
    REMEDIATE = "Remediate"
    REPORT = "Report"

    def __str__(self) -> str:
        return str(self.value)
