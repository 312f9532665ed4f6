"""Fuzz tests: hostile and mutated input through the real command line (issue 13)."""
