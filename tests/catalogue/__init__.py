"""Tests of :mod:`pathways.catalogue`."""
