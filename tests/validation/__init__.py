"""Tests of :mod:`pathways.validation`."""
