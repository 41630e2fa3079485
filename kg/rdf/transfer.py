"""``kg export`` and ``kg import`` as functions over any GraphStore (the CLI only parses arguments).

Both go through the backend-neutral ``GraphDump``, so a Neo4j graph and an embedded one export alike, and
an import parses and checks the whole file before the store sees any of it.
"""

from __future__ import annotations

import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pyoxigraph import parse, serialize

from kg.errors import InputError
from kg.rdf.formats import format_for_path, rdf_format
from kg.rdf.iris import PREFIXES
from kg.rdf.mapping import dump_to_quads, quads_to_dump
from kg.rdf.validate import ValidationResult, flatten, validate_quads
from kg.store import assemble
from kg.store.base import GraphStore
from kg.store.records import GraphDump

DATASET_FORMATS = ("nq", "trig", "jsonld")
_EXPORT_PREFIXES = {k: PREFIXES[k] for k in ("kg", "ent", "art", "ev", "rdf", "xsd")}


@dataclass(slots=True)
class ExportResult:
    format: str
    statements: int  # triples (ttl, nt) or quads (nq, trig, jsonld) written
    articles: int
    entities: int
    evidence: int
    output: Path | None
    validation: ValidationResult | None = None


@dataclass(slots=True)
class ImportResult:
    format: str
    statements: int
    articles: int
    entities: int
    evidence: int


def serialize_dump(dump: GraphDump, fmt: str, out: IO[bytes]) -> int:
    """Write the dump in ``fmt``; triple formats (ttl, nt) flatten the per-article graphs."""
    rdf = rdf_format(fmt)
    quads = list(dump_to_quads(dump))
    statements: list = list(quads) if fmt in DATASET_FORMATS else flatten(quads)  # type: ignore[type-arg]
    prefixes = _EXPORT_PREFIXES if fmt in ("ttl", "trig", "jsonld") else None
    serialize(statements, out, format=rdf, prefixes=prefixes)
    return len(statements)


def export_store(
    store: GraphStore,
    fmt: str,
    output: Path | None = None,
    stream: IO[bytes] | None = None,
    validate: bool = False,
) -> ExportResult:
    """Export the whole graph; a file is written next to its target and renamed, never left half-written."""
    rdf_format(fmt)
    dump = store.dump()
    validation = validate_quads(dump_to_quads(dump)) if validate else None
    if output is None:
        target = stream if stream is not None else io.BytesIO()
        count = serialize_dump(dump, fmt, target)
    else:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                count = serialize_dump(dump, fmt, fh)
            os.replace(tmp, output)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return ExportResult(
        format=fmt,
        statements=count,
        articles=len(dump.articles),
        entities=len(dump.entities),
        evidence=len(dump.evidence),
        output=output,
        validation=validation,
    )


def read_dump(path: Path, fmt: str | None = None) -> tuple[GraphDump, str, int]:
    """Parse and check a file into a dump (nothing written anywhere); returns (dump, format, statements)."""
    name = format_for_path(path, fmt)
    if not path.is_file():
        raise InputError(f"no such file: {path}")
    try:
        quads = list(parse(path=str(path), format=rdf_format(name)))
    except (SyntaxError, ValueError) as e:
        raise InputError(f"{path.name} is not valid {name}: {e}") from e
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}") from e
    dump = quads_to_dump(quads)
    if not (dump.articles or dump.entities or dump.evidence):
        raise InputError(f"{path.name} holds no articles, entities or evidence of this graph's vocabulary")
    for extraction in assemble.extractions_from_dump(dump):
        assemble.validate_extraction(extraction)
    return dump, name, len(quads)


def import_file(store: GraphStore, path: Path, fmt: str | None = None) -> ImportResult:
    dump, name, count = read_dump(path, fmt)
    store.load(dump)
    return ImportResult(
        format=name,
        statements=count,
        articles=len(dump.articles),
        entities=len(dump.entities),
        evidence=len(dump.evidence),
    )
