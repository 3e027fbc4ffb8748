"""fastjsonschema's validators of the record schemas, generated ahead (see records/schema.py)."""
