"""Starting and running a school year: init (the two repositories), imports from the administration
system, roll-over to the next semester, and who has which commit identity."""
