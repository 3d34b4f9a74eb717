"""Errors of the project services, each with the HTTP status the API maps it to."""


class ProjectError(Exception):
    status_code = 400

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class InvalidInput(ProjectError):
    """Bad or missing data for the action; nothing changed (400)."""


class Forbidden(ProjectError):
    """The caller may see the project but not take this action (403)."""

    status_code = 403


class InvalidTransition(ProjectError):
    """The action is not valid in the project's current state (409)."""

    status_code = 409


class Conflict(InvalidTransition):
    """Someone else changed the project first (409)."""


class TooMany(ProjectError):
    """The caller has too much work in progress (e.g. background exports); try later (429)."""

    status_code = 429
