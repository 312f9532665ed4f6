"""Tests of :mod:`pathways.cli`."""
