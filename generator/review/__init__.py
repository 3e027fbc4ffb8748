"""The merge-request check: the request judged against its base, and the summary the student and teacher read first."""
