"""Tests of :mod:`pathways.economics`."""
