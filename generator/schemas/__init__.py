"""The JSON Schemas of every record format: the loader checks against them, the site documents them."""
