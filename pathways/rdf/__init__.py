"""The only code that parses or queries RDF: formats, store, terms, prefixed names, safety, resources."""
