"""Commands that change a school's repositories: purge of records past retention."""
