"""The serialisations ``kg export`` writes and ``kg import`` reads, by CLI name and by file extension."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat

from kg.errors import InputError

FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "nt": RdfFormat.N_TRIPLES,
    "nq": RdfFormat.N_QUADS,
    "trig": RdfFormat.TRIG,
    "jsonld": RdfFormat.JSON_LD,
}
EXTENSIONS: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".nq": "nq",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".json": "jsonld",
}


def rdf_format(name: str) -> RdfFormat:
    try:
        return FORMATS[name.lower()]
    except KeyError as e:
        raise InputError(f"unknown RDF format {name!r}; choose one of {', '.join(FORMATS)}") from e


def format_for_path(path: Path, explicit: str | None = None) -> str:
    if explicit:
        rdf_format(explicit)
        return explicit.lower()
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise InputError(
            f"cannot tell the RDF format of {path.name!r} from its extension; "
            f"use one of {', '.join(sorted(EXTENSIONS))} or pass --format"
        )
    return name
