class ServiceError(Exception):
    """A use case could not go ahead; the message is written for the person acting."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotAllowed(ServiceError):
    pass


class ChangedMeanwhile(ServiceError):
    """Someone else changed the record after this person loaded it."""


class Busy(ServiceError):
    def __init__(self, message: str = "The service is very busy right now. Please try again in a moment."):
        super().__init__(message)
