"""Tests of :mod:`pathways.interop`."""
