"""Linked Data for the graph: IRIs, the RDF mapping, the generated ontology/shapes/context, export and import.

The mapping (``kg.rdf.mapping``) is shared by export/import and the embedded store, so the SPARQL a user
writes against ``/v1/sparql`` sees the same vocabulary as an exported file.
"""
