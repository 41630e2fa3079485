"""The analyst query library: one parameterised ``.cypher`` file per question in ``queries/``.

The files are the product (analysts paste them into Neo4j Browser), so their metadata lives in a
comment header inside each file rather than in a separate index that could drift::

    // name: who_met_whom
    // description: Who met whom in a period ...
    // params: {since: "2024-01-01", until: "2024-12-31"}
    // view: table

``params`` is a YAML flow mapping, which is also valid Cypher map syntax, so the same line works
as a Browser ``:params`` command. Values given on the command line arrive as strings and are
coerced to the type of the default, so ``--param limit=5`` stays an integer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

from kg.errors import NotFoundError, QueryError

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

View = Literal["table", "graph"]
_HEADER_RE = re.compile(r"^//\s*(?P<key>[a-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_REQUIRED = ("name", "description", "params")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    name: str
    description: str
    cypher: str  # the query body, header comments removed
    params: dict[str, Any] = field(default_factory=dict)  # defaults; every $param the query uses
    view: View = "table"  # how it reads best in Neo4j Browser
    notes: str = ""  # the comment lines between the header and the query: caveats for analysts
    path: Path | None = None

    def bind(self, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Defaults merged with overrides; string overrides coerced to the default's type."""
        bound = dict(self.params)
        for key, value in (overrides or {}).items():
            if key not in self.params:
                known = ", ".join(sorted(self.params)) or "none"
                raise QueryError(f"query {self.name!r} has no parameter {key!r} (parameters: {known})")
            bound[key] = coerce(value, self.params[key], key)
        return bound

    @property
    def params_command(self) -> str:
        """The Neo4j Browser command that sets this query's default parameters."""
        return f":params {format_params(self.params)}"


def coerce(value: Any, default: Any, key: str = "value") -> Any:
    """Convert a command-line string to the type of the parameter's default."""
    if not isinstance(value, str):
        return value
    try:
        if isinstance(default, bool):
            lowered = value.strip().lower()
            if lowered not in {"true", "false", "yes", "no", "1", "0"}:
                raise ValueError(value)
            return lowered in {"true", "yes", "1"}
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, list):
            return [item.strip() for item in value.split(",") if item.strip()]
    except ValueError as e:
        raise QueryError(f"parameter {key!r}: cannot read {value!r} as {type(default).__name__}") from e
    return value


def format_params(params: Mapping[str, Any]) -> str:
    """A Cypher map literal (also YAML flow syntax) for ``:params``."""
    return "{" + ", ".join(f"{key}: {_literal(value)}" for key, value in params.items()) + "}"


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_literal(item) for item in value) + "]"
    if value is None:
        return "null"
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def parse_query_file(path: Path) -> NamedQuery:
    """Read one library file; malformed headers are errors, not silently skipped queries."""
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    body_lines: list[str] = []
    in_header = True
    for line in text.splitlines():
        match = _HEADER_RE.match(line) if in_header else None
        if match:
            header[match["key"]] = match["value"]
            continue
        in_header = in_header and not line.strip()
        body_lines.append(line)
    missing = [key for key in _REQUIRED if key not in header]
    if missing:
        raise QueryError(f"{path.name}: header lacks {', '.join(missing)}")
    name = header["name"]
    if not _NAME_RE.match(name) or name != path.stem:
        raise QueryError(f"{path.name}: name {name!r} must be snake_case and equal the file name")
    try:
        params = yaml.safe_load(header["params"]) or {}
    except yaml.YAMLError as e:
        raise QueryError(f"{path.name}: params is not a YAML/Cypher map") from e
    if not isinstance(params, dict):
        raise QueryError(f"{path.name}: params must be a map")
    view = header.get("view", "table")
    if view not in ("table", "graph"):
        raise QueryError(f"{path.name}: view must be table or graph, not {view!r}")
    body = "\n".join(body_lines).strip().splitlines()
    notes: list[str] = []
    while body and body[0].lstrip().startswith("//"):
        notes.append(body.pop(0).lstrip()[2:].strip())
    cypher = "\n".join(body).strip()
    if not cypher:
        raise QueryError(f"{path.name}: no query body")
    return NamedQuery(
        name=name,
        description=header["description"],
        cypher=cypher,
        params={str(k): v for k, v in params.items()},
        view=view,  # type: ignore[arg-type]  # checked above
        notes=" ".join(notes),
        path=path,
    )


@lru_cache(maxsize=4)
def _load(directory: Path) -> dict[str, NamedQuery]:
    if not directory.is_dir():
        raise QueryError(f"query library folder not found: {directory}")
    queries = [parse_query_file(path) for path in sorted(directory.glob("*.cypher"))]
    return {query.name: query for query in queries}


def list_queries(directory: Path | None = None) -> list[NamedQuery]:
    """Every library query, ordered by name."""
    return list(_load(directory or QUERIES_DIR).values())


def get_query(name: str, directory: Path | None = None) -> NamedQuery:
    queries = _load(directory or QUERIES_DIR)
    try:
        return queries[name]
    except KeyError as e:
        raise NotFoundError(f"no library query named {name!r}; known: {', '.join(sorted(queries))}") from e
