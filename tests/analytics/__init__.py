"""Tests of :mod:`pathways.analytics`."""
