"""Open conflict-event knowledge graph: articles in, typed and sourced triples out."""

__version__ = "0.1.0"
