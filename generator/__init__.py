"""licheng (歷程): student learning portfolio records and schedules kept as YAML in Git."""

__version__ = "0.1.0"

from . import moved as _moved  # noqa: E402

_moved.install()
