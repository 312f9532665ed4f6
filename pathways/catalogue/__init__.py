"""The knowledge graph's facts as typed values; the one RDF -> NetworkX projection."""
