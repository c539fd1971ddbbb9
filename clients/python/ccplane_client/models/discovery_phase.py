from enum import StrEnum


class DiscoveryPhase(StrEnum):
    COMPLETE = "Complete"
    FAILED = "Failed"
    LISTING = "Listing"
    READING = "Reading"

    def __str__(self) -> str:
        return str(self.value)
