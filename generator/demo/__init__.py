"""The fictional demo school and its realistic Git history (`licheng demo`)."""

from .create import create_demo  # noqa: F401  (generator.demo was this module)
