"""The query library's files and loader, and the Browser style's coverage of the vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.errors import KGError, NotFoundError, QueryError
from kg.querylib import NamedQuery, coerce, format_params, get_query, list_queries, parse_query_file
from kg.vocabulary import SCHEMA_DIR, get_vocabulary

STYLE = SCHEMA_DIR / "browser" / "style.grass"
PARAM_RE = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
WRITE_RE = re.compile(r"\b(CREATE|MERGE|DELETE|DETACH|SET|REMOVE|LOAD\s+CSV|CALL\s+dbms)\b", re.IGNORECASE)


def _grass_rules() -> dict[str, dict[str, str]]:
    """Parse the grass file exactly as Neo4j Browser 5.24 does (``GraphStyle.parse``, ported).

    Only single quotes delimit strings, there are no comments, and a value is cut at ``:``/``;``,
    so a style that looks fine in an editor can silently lose rules; this port catches that.
    """
    rules: dict[str, str] = {}
    inside_string = inside_props = False
    keyword = props = ""
    for c in STYLE.read_text(encoding="utf-8"):
        skip = True
        if c == "{" and not inside_string:
            inside_props = True
        elif c == "}" and not inside_string:
            inside_props = False
            rules[keyword] = props
            keyword = props = ""
        elif c == "'":
            inside_string = not inside_string
        else:
            skip = False
        if skip:
            continue
        if inside_props:
            props += c
        elif not c.isspace():
            keyword += c
    parsed: dict[str, dict[str, str]] = {}
    for selector, body in rules.items():
        parsed[selector] = {}
        for prop in body.split(";"):
            parts = prop.split(":")
            if len(parts) >= 2 and parts[0].strip() and parts[1].strip():
                parsed[selector][parts[0].strip()] = parts[1].strip()
    return parsed


def test_library_has_at_least_fifteen_described_queries() -> None:
    queries = list_queries()
    assert len(queries) >= 15
    for query in queries:
        assert query.description and len(query.description) > 20, query.name
        assert "\n" not in query.description


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_every_parameter_used_has_a_default_and_every_default_is_used(query: NamedQuery) -> None:
    used = set(PARAM_RE.findall(query.cypher))
    assert used == set(query.params), query.name


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_queries_are_read_only(query: NamedQuery) -> None:
    body = "\n".join(line for line in query.cypher.splitlines() if not line.lstrip().startswith("//"))
    assert WRITE_RE.search(body) is None, query.name


def test_the_issue_questions_are_all_in_the_library() -> None:
    names = {q.name for q in list_queries()}
    assert {
        "who_met_whom",
        "ceasefire_positions",
        "proxy_network",
        "actor_timeline",
        "edge_evidence",
        "most_connected",
        "negated_facts",
        "shortest_path",
        "office_holders",
        "attacks_on_location",
        "new_facts_since",
        "single_source_facts",
    } <= names


def test_get_query_returns_the_named_query_and_unknown_names_raise() -> None:
    query = get_query("who_met_whom")
    assert query.name == "who_met_whom"
    assert query.params == {"since": "2024-01-01", "until": "2024-12-31"}
    assert "MATCH" in query.cypher and not query.cypher.startswith("// name")
    with pytest.raises(NotFoundError) as info:
        get_query("no_such_query")
    assert isinstance(info.value, KGError)
    assert "who_met_whom" in str(info.value)


def test_bind_coerces_strings_to_the_default_type() -> None:
    assert get_query("most_connected").bind({"limit": "3"}) == {"limit": 3}
    assert get_query("ceasefire_positions").bind({"terms": "truce, deal"}) == {"terms": ["truce", "deal"]}
    assert get_query("who_met_whom").bind({"since": "2023"}) == {"since": "2023", "until": "2024-12-31"}
    assert coerce("yes", False) is True
    assert coerce("2.5", 1.0) == 2.5


def test_bind_rejects_unknown_parameters_and_unreadable_values() -> None:
    with pytest.raises(QueryError, match="no parameter 'sinse'"):
        get_query("who_met_whom").bind({"sinse": "2024"})
    with pytest.raises(QueryError, match="limit"):
        get_query("most_connected").bind({"limit": "many"})


def test_params_command_is_a_browser_params_line() -> None:
    assert get_query("who_met_whom").params_command == ':params {since: "2024-01-01", until: "2024-12-31"}'
    assert (
        format_params({"a": 1, "b": True, "c": ["x", 'y"z'], "d": None})
        == '{a: 1, b: true, c: ["x", "y\\"z"], d: null}'
    )


def test_malformed_files_are_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cypher"
    bad.write_text("// name: bad\n// params: {}\nRETURN 1\n")
    with pytest.raises(QueryError, match="description"):
        parse_query_file(bad)
    misnamed = tmp_path / "misnamed.cypher"
    misnamed.write_text(
        "// name: other\n// description: a query whose name is wrong\n// params: {}\nRETURN 1\n"
    )
    with pytest.raises(QueryError, match="file name"):
        parse_query_file(misnamed)
    good = tmp_path / "good.cypher"
    good.write_text(
        "// name: good\n// description: returns one\n// params: {n: 1}\n// view: graph\n\nRETURN $n\n"
    )
    parsed = parse_query_file(good)
    assert (parsed.name, parsed.params, parsed.view, parsed.cypher) == (
        "good",
        {"n": 1},
        "graph",
        "RETURN $n",
    )


def test_style_has_a_rule_with_colour_size_and_name_caption_for_every_entity_type() -> None:
    rules = _grass_rules()
    for label in [*get_vocabulary().entity_types, "Article", "Evidence"]:
        rule = rules.get(f"node.{label}")
        assert rule is not None, f"style.grass has no rule for node.{label}"
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"]), label
        assert rule["diameter"].endswith("px"), label
        assert rule["caption"].startswith("{"), label
    for label in get_vocabulary().entity_types:
        assert rules[f"node.{label}"]["caption"] == "{name}"


def test_style_has_a_captioned_rule_for_every_relation() -> None:
    rules = _grass_rules()
    vocabulary = get_vocabulary()
    for name, relation in vocabulary.relations.items():
        rule = rules.get(f"relationship.{name}")
        assert rule is not None, f"style.grass has no rule for relationship.{name}"
        assert re.fullmatch(r"#[0-9A-Fa-f]{6}", rule["color"]), name
        assert rule["caption"], name
        if relation.is_event:
            assert rule["caption"] == f"{name} {{first_date}}", name
    for name in ("HAS_EVIDENCE", "MENTIONS", "SUBJECT", "OBJECT"):  # provenance (graph-model.md)
        assert rules[f"relationship.{name}"]["caption"] == name


def test_style_parses_in_browser_grammar() -> None:
    """Every selector is well formed and no value was cut short by the Browser's parser."""
    text = STYLE.read_text(encoding="utf-8")
    rules = _grass_rules()
    assert set(rules) >= {"node", "relationship"}
    for selector, props in rules.items():
        assert re.fullmatch(r"(node|relationship)(\.[A-Za-z_]+)?", selector), selector
        for key, value in props.items():
            assert f"{key}: {value};" in text or f"{key}: '{value}';" in text, (selector, key)


def test_docs_list_every_library_query_with_its_defaults() -> None:
    docs = (SCHEMA_DIR.parent / "docs" / "browser.md").read_text(encoding="utf-8")
    for query in list_queries():
        assert (
            f"| `{query.name}` | {query.view} | {query.description} | `{format_params(query.params)}` |"
            in docs
        )


def test_docs_style_table_matches_the_grass_file() -> None:
    docs = (SCHEMA_DIR.parent / "docs" / "browser.md").read_text(encoding="utf-8")
    rules = _grass_rules()
    for label in [*get_vocabulary().entity_types, "Article", "Evidence"]:
        rule = rules[f"node.{label}"]
        row = re.search(rf"^\| `{label}` \| [a-z]+ `(#[0-9A-F]{{6}})` \| (\d+px) \| `(\w+)` \|$", docs, re.M)
        assert row, label
        assert (row[1], row[2], "{" + row[3] + "}") == (
            rule["color"].upper(),
            rule["diameter"],
            rule["caption"],
        )
