"""Command-line commands, one module per concern, each exposing ``COMMANDS``."""
