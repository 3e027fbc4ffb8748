"""Every rule module; importing this package registers all rules (see generator.rule)."""

from . import people, portfolio, schedules, students, submissions, syntax  # noqa: F401
