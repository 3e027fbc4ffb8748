"""Git plumbing: the history log, commit identities and the evidence of certification."""
