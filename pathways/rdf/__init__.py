"""The only code that parses or queries RDF: store, SPARQL, terms, prefixed names, safety."""
