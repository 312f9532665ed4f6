"""Tests of :mod:`pathways.routing`."""
