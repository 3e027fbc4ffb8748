"""One module per command-line verb; generator.cli only parses arguments and maps exit codes."""
