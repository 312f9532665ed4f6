"""The knowledge graph's facts as typed values, each read once; the one RDF -> NetworkX projection."""
