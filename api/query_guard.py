"""Cheap pre-checks for the read-only query endpoints, run BEFORE anything reaches the store.

They are a first line only: Cypher also runs in a READ access-mode transaction, so a write that
slipped past these checks is still refused by Neo4j. The checks strip comments, string literals
and backquoted names first, so ``RETURN 'CREATE'`` is fine while ``CREATE (n)`` is not.
"""

from __future__ import annotations

import re

from api.errors import QueryRefusedError
from kg.errors import QueryError

MAX_QUERY_CHARS = 10_000
MAX_PARAMS_CHARS = 100_000

# Read-only procedures a dashboard may legitimately call.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
    }
)

_WRITE_CLAUSES = {
    "CREATE": "CREATE",
    "MERGE": "MERGE",
    "SET": "SET",
    "DELETE": "DELETE",
    "DETACH": "DETACH DELETE",
    "REMOVE": "REMOVE",
    "DROP": "DROP",
    "FOREACH": "FOREACH",
    "ALTER": "ALTER",
    "RENAME": "RENAME",
    "GRANT": "GRANT",
    "DENY": "DENY",
    "REVOKE": "REVOKE",
    "START": "START DATABASE",
    "STOP": "STOP DATABASE",
    "TERMINATE": "TERMINATE",
    "ENABLE": "ENABLE",
    "DEALLOCATE": "DEALLOCATE",
    "REALLOCATE": "REALLOCATE",
}
_OTHER_REFUSED = {
    "USE": "USE (switching databases) is not allowed",
    "SHOW": "SHOW commands are not allowed",
    "LOAD": "LOAD CSV is not allowed (no file or network access)",
}

# Comments, string literals and backquoted identifiers, in one pass so their contents are ignored.
_MASK = re.compile(
    r"""//[^\n]*|/\*.*?(?:\*/|\Z)|'(?:\\.|[^'\\])*(?:'|\Z)|"(?:\\.|[^"\\])*(?:"|\Z)|`(?:``|[^`])*(?:`|\Z)""",
    re.S,
)
_WORD = re.compile(r"(?<![\w.$:])([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*:(?!:))")
_CALL = re.compile(r"(?<![\w.$])CALL\b\s*(\{|\(|[A-Za-z_][\w.]*(?:\s*\.\s*[A-Za-z_]\w*)*)?", re.I)
_DANGEROUS_NAMESPACE = re.compile(r"(?<![\w$])(apoc|dbms|gds|db\.create\w*)\s*\.", re.I)


def _masked(query: str) -> str:
    return _MASK.sub(lambda m: " " * len(m.group(0)), query)


def check_cypher(query: str) -> None:
    """Raise QueryError (400) or QueryRefusedError (403) for what the endpoint will not run."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    if not query.strip():
        raise QueryError("empty query")
    text = _masked(query)
    for m in _CALL.finditer(text):
        target = m.group(1) or ""
        if target in ("{", "("):
            continue  # a subquery: its clauses are checked like the rest of the text
        name = re.sub(r"\s+", "", target).lower()
        if name not in ALLOWED_PROCEDURES:
            raise QueryRefusedError(
                f"procedure call {name or '(unnamed)'!r} is not allowed on the read-only endpoint; allowed: "
                + ", ".join(sorted(ALLOWED_PROCEDURES))
            )
    ns = _DANGEROUS_NAMESPACE.search(text)
    if ns:
        raise QueryRefusedError(
            f"{ns.group(1)}.* procedures and functions are not allowed on the read-only endpoint"
        )
    for m in _WORD.finditer(text):
        word = m.group(1).upper()
        if word in _WRITE_CLAUSES:
            raise QueryRefusedError(
                f"read-only endpoint: the write clause {_WRITE_CLAUSES[word]} is not allowed "
                "(queries run in a READ transaction)"
            )
        if word in _OTHER_REFUSED:
            raise QueryRefusedError(f"read-only endpoint: {_OTHER_REFUSED[word]}")
    if "CALL" in text.upper() and re.search(r"\bIN\s+TRANSACTIONS\b", text, re.I):
        raise QueryRefusedError("read-only endpoint: CALL { ... } IN TRANSACTIONS is not allowed")


_SPARQL_UPDATE = re.compile(
    r"(?<![\w:?$])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b(?!\s*:)", re.I
)
_SPARQL_MASK = re.compile(
    r"""#[^\n]*|<[^<>\s]*>|'''.*?(?:'''|\Z)|\"\"\".*?(?:\"\"\"|\Z)|'(?:\\.|[^'\\\n])*(?:'|$)|"(?:\\.|[^"\\\n])*(?:"|$)""",
    re.S | re.M,
)


def check_sparql(query: str) -> None:
    """Refuse SPARQL Update and SERVICE (federated queries reach the network)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(query)} characters long; the limit is {MAX_QUERY_CHARS}")
    if not query.strip():
        raise QueryError("empty query")
    text = _SPARQL_MASK.sub(lambda m: " " * len(m.group(0)), query)
    m = _SPARQL_UPDATE.search(text)
    if m:
        raise QueryRefusedError(f"read-only endpoint: SPARQL Update ({m.group(1).upper()}) is not allowed")
    if re.search(r"(?<![\w:?$])SERVICE\b", text, re.I):
        raise QueryRefusedError("read-only endpoint: SERVICE (federated query) is not allowed")
