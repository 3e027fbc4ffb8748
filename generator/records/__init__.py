"""Loading the school: YAML files into one checked model of records, and the views rules share."""

from .model import Document, Records, line_of  # noqa: F401  (generator.records was this module)
