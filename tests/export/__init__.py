"""Tests of :mod:`pathways.export`."""
