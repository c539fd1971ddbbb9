from enum import StrEnum


class ReplacementPolicy(StrEnum):
    CREATEBEFOREDELETE = "CreateBeforeDelete"
    DELETEBEFORECREATE = "DeleteBeforeCreate"
    REJECT = "Reject"

    def __str__(self) -> str:
        return str(self.value)
