"""Tests of :mod:`pathways.rdf`."""
