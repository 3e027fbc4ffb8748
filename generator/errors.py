"""Errors that stop a command. Problems in the records are findings, never these."""


class LichengError(Exception):
    """licheng could not run (exit code 2)."""


class UsageError(LichengError):
    """The command line asks for something that makes no sense."""


class RepositoryError(LichengError):
    """The directory is not a school repository, or Git cannot be read."""
