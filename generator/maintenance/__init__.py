"""Commands that change a school's repositories: purge past retention, history rewrites, split, migrate to LFS."""
