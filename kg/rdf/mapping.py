"""The RDF mapping of a ``GraphDump``: the one place that decides which triples say what.

Layout (see docs/rdf.md):

* default graph: entities (``kg:Entity`` plus their type class, id, name, aliases, ISO code);
* one named graph per article, named by the article IRI, holding what that article states: the article's
  metadata, a plain ``s kg:met o`` triple for each *positive* fact it supports, and one ``kg:Evidence`` node
  per evidence row, a reified statement (``rdf:subject/predicate/object``) carrying sentence, offsets,
  date, confidence and ``kg:negated``. Negated facts exist only in reified form, never as a plain triple.

Evidence nodes also point at their article (``kg:article``), so a flattened Turtle/N-Triples export (which
drops graph names) still imports to the same graph.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from kg.errors import InputError
from kg.model import fact_id
from kg.rdf import iris
from kg.rdf.iris import KG, RDF, XSD
from kg.store.records import GraphDump
from kg.vocabulary import get_vocabulary

Node = NamedNode
GraphName = NamedNode | DefaultGraph

RDF_TYPE = NamedNode(RDF + "type")
RDF_SUBJECT = NamedNode(RDF + "subject")
RDF_PREDICATE = NamedNode(RDF + "predicate")
RDF_OBJECT = NamedNode(RDF + "object")
RDF_JSON = NamedNode(RDF + "JSON")
XSD_INTEGER = NamedNode(XSD + "integer")
XSD_DOUBLE = NamedNode(XSD + "double")
XSD_BOOLEAN = NamedNode(XSD + "boolean")
XSD_DATE = NamedNode(XSD + "date")
XSD_GYEARMONTH = NamedNode(XSD + "gYearMonth")
XSD_GYEAR = NamedNode(XSD + "gYear")


def p(local: str) -> NamedNode:
    return NamedNode(KG + local)


ENTITY_CLASS = p("Entity")
ARTICLE_CLASS = p("Article")
EVIDENCE_CLASS = p("Evidence")

# Article metadata fields and the properties that carry them (published is typed as a date).
ARTICLE_FIELDS = ("title", "url", "source", "published", "licence")

_DATE_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), XSD_DATE),
    (re.compile(r"^\d{4}-\d{2}$"), XSD_GYEARMONTH),
    (re.compile(r"^\d{4}$"), XSD_GYEAR),
)


def date_literal(value: str) -> Literal:
    """Day, month or year precision as xsd:date, xsd:gYearMonth or xsd:gYear; else a plain string."""
    for pattern, datatype in _DATE_FORMATS:
        if pattern.match(value):
            return Literal(value, datatype=datatype)
    return Literal(value)


def json_literal(value: dict[str, Any]) -> Literal:
    return Literal(json.dumps(value, sort_keys=True, ensure_ascii=False), datatype=RDF_JSON)


def int_literal(value: int) -> Literal:
    return Literal(str(int(value)), datatype=XSD_INTEGER)


def double_literal(value: float) -> Literal:
    return Literal(repr(float(value)), datatype=XSD_DOUBLE)


def bool_literal(value: bool) -> Literal:
    return Literal("true" if value else "false", datatype=XSD_BOOLEAN)


def entity_quads(entity: dict[str, Any], graph: GraphName | None = None) -> list[Quad]:
    """An entity's description (default graph unless told)."""
    g = graph or DefaultGraph()
    etype = entity["type"]
    if etype not in _entity_types():
        raise InputError(f"entity {entity.get('id')!r} has unknown type {etype!r}")
    e = NamedNode(iris.entity_iri(entity["id"]))
    out = [
        Quad(e, RDF_TYPE, ENTITY_CLASS, g),
        Quad(e, RDF_TYPE, NamedNode(iris.class_iri(etype)), g),
        Quad(e, p("id"), Literal(entity["id"]), g),
        Quad(e, p("name"), Literal(entity["name"]), g),
    ]
    out.extend(Quad(e, p("alias"), Literal(a), g) for a in sorted(set(entity.get("aliases") or [])))
    props = dict(entity.get("properties") or {})
    iso3 = props.pop("iso3", None)
    if iso3 is not None:
        out.append(Quad(e, p("iso3"), Literal(str(iso3)), g))
    if props:
        out.append(Quad(e, p("properties"), json_literal(props), g))
    return out


def article_quads(article: dict[str, Any]) -> list[Quad]:
    a = NamedNode(iris.article_iri(article["id"]))
    out = [Quad(a, RDF_TYPE, ARTICLE_CLASS, a), Quad(a, p("id"), Literal(article["id"]), a)]
    for name in ARTICLE_FIELDS:
        value = article.get(name)
        if value is None:
            continue
        lit = date_literal(value) if name == "published" else Literal(str(value))
        out.append(Quad(a, p(name), lit, a))
    if article.get("metadata"):
        out.append(Quad(a, p("metadata"), json_literal(article["metadata"]), a))
    return out


def evidence_quads(row: dict[str, Any], index: int) -> list[Quad]:
    """One evidence row as a reified statement; plus the plain triple when the row is positive."""
    relation = row["relation"]
    if relation not in _relations():
        raise InputError(f"unknown relation {relation!r} in article {row.get('article_id')!r}")
    a = NamedNode(iris.article_iri(row["article_id"]))
    ev = NamedNode(iris.evidence_iri(row["article_id"], index))
    s = NamedNode(iris.entity_iri(row["subject_id"]))
    o = NamedNode(iris.entity_iri(row["object_id"]))
    pred = NamedNode(iris.relation_iri(relation))
    out = [
        Quad(ev, RDF_TYPE, EVIDENCE_CLASS, a),
        Quad(ev, p("article"), a, a),
        Quad(ev, p("factId"), Literal(row["fact_id"]), a),
        Quad(ev, RDF_SUBJECT, s, a),
        Quad(ev, RDF_PREDICATE, pred, a),
        Quad(ev, RDF_OBJECT, o, a),
        Quad(ev, p("negated"), bool_literal(bool(row["negated"])), a),
        Quad(ev, p("sentence"), Literal(row["sentence"]), a),
        Quad(ev, p("start"), int_literal(row["start"]), a),
        Quad(ev, p("end"), int_literal(row["end"]), a),
        Quad(ev, p("confidence"), double_literal(row["confidence"]), a),
    ]
    if row.get("date"):
        out.append(Quad(ev, p("date"), date_literal(row["date"]), a))
    for name in ("cameo", "plover", "title"):
        if row.get(name) is not None:
            out.append(Quad(ev, p(name), Literal(str(row[name])), a))
    if row.get("attributes"):
        out.append(Quad(ev, p("attributes"), json_literal(row["attributes"]), a))
    if not row["negated"]:
        out.append(Quad(s, pred, o, a))
    return out


def mention_quads(article_id: str, entity_ids: Iterable[str]) -> list[Quad]:
    a = NamedNode(iris.article_iri(article_id))
    return [Quad(a, p("mentions"), NamedNode(iris.entity_iri(e)), a) for e in sorted(set(entity_ids))]


def article_graph_quads(
    article: dict[str, Any], rows: list[dict[str, Any]], mentions: Iterable[str] | None = None
) -> list[Quad]:
    """Everything an article states, in its named graph (mentions default to the ends of its evidence)."""
    out = article_quads(article)
    for i, row in enumerate(rows):
        out.extend(evidence_quads(row, i))
    if mentions is None:
        mentions = [r["subject_id"] for r in rows] + [r["object_id"] for r in rows]
    out.extend(mention_quads(article["id"], mentions))
    return _dedupe(out)


def dump_to_quads(dump: GraphDump) -> Iterator[Quad]:
    """The whole dump as quads: entities first (default graph), then one named graph per article."""
    for entity in sorted(dump.entities, key=lambda e: e["id"]):
        yield from entity_quads(entity)
    rows_by_article: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in dump.evidence:
        rows_by_article[row["article_id"]].append(row)
    articles = {a["id"]: a for a in dump.articles}
    for art_id in sorted(set(articles) | set(rows_by_article)):
        article = articles.get(art_id) or {"id": art_id}
        rows = rows_by_article.get(art_id, [])  # dump order; the index names the evidence node
        yield from article_graph_quads(article, rows, article.get("mentions"))


def _dedupe(quads: list[Quad]) -> list[Quad]:
    return list(dict.fromkeys(quads))


# ---------------------------------------------------------------- reading back


def _value(term: Any) -> str:
    return str(term.value)


def quads_to_dump(quads: Iterable[Quad]) -> GraphDump:
    """Rebuild a ``GraphDump`` from quads in any of the export layouts (graph names are not needed)."""
    by_subject: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for q in quads:
        node = q.subject
        if not isinstance(node, NamedNode):
            continue
        by_subject[node.value][q.predicate.value].append(q.object)

    entities: list[dict[str, Any]] = []
    articles: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for subj, props in by_subject.items():
        types = {t.value for t in props.get(RDF + "type", [])}
        if ENTITY_CLASS.value in types:
            entities.append(_read_entity(subj, props, types))
        if ARTICLE_CLASS.value in types:
            articles.append(_read_article(subj, props))
    published = {a["id"]: a.get("published") for a in articles}
    for subj, props in by_subject.items():
        types = {t.value for t in props.get(RDF + "type", [])}
        if EVIDENCE_CLASS.value in types:
            evidence.append(_read_evidence(subj, props, published))
    entities.sort(key=lambda e: e["id"])
    articles.sort(key=lambda a: a["id"])
    evidence.sort(key=lambda r: (r["article_id"], r["start"], r["end"], r.pop("_index")))
    return GraphDump(articles=articles, entities=entities, evidence=evidence)


def _one(props: dict[str, list[Any]], local: str, subj: str, required: bool = True) -> str | None:
    values = props.get(KG + local, [])
    if not values:
        if required:
            raise InputError(f"{subj}: missing kg:{local}")
        return None
    if len({_value(v) for v in values}) > 1:
        raise InputError(f"{subj}: more than one kg:{local}")
    return _value(values[0])


def _read_entity(subj: str, props: dict[str, list[Any]], types: set[str]) -> dict[str, Any]:
    classes = sorted(n for n in (iris.class_name(t) for t in types) if n)
    if len(classes) != 1:
        raise InputError(f"{subj}: an entity needs exactly one type class, found {classes or 'none'}")
    ent_id = _one(props, "id", subj, required=False) or iris.entity_id(subj)
    if not ent_id:
        raise InputError(f"{subj}: entity without kg:id outside the entity namespace")
    properties: dict[str, Any] = {}
    raw = _one(props, "properties", subj, required=False)
    if raw:
        properties.update(_json(raw, subj))
    iso3 = _one(props, "iso3", subj, required=False)
    if iso3 is not None:
        properties["iso3"] = iso3
    out: dict[str, Any] = {
        "id": ent_id,
        "name": _one(props, "name", subj),
        "type": classes[0],
        "aliases": sorted({_value(v) for v in props.get(KG + "alias", [])}),
    }
    if properties:
        out["properties"] = dict(sorted(properties.items()))
    return out


def _read_article(subj: str, props: dict[str, list[Any]]) -> dict[str, Any]:
    art_id = _one(props, "id", subj, required=False) or iris.article_id(subj)
    if not art_id:
        raise InputError(f"{subj}: article without kg:id outside the article namespace")
    out: dict[str, Any] = {"id": art_id, "body": ""}
    for name in ("title", "source", "url", "published", "licence"):
        out[name] = _one(props, name, subj, required=False)
    metadata = _one(props, "metadata", subj, required=False)
    out["metadata"] = _json(metadata, subj) if metadata else {}
    mentioned = (iris.entity_id(str(v.value)) for v in props.get(KG + "mentions", []))
    out["mentions"] = sorted({m for m in mentioned if m is not None})
    return out


def _read_evidence(
    subj: str, props: dict[str, list[Any]], published: dict[str, str | None]
) -> dict[str, Any]:
    def node(pred: str) -> str:
        values = props.get(pred, [])
        if len(values) != 1 or not isinstance(values[0], NamedNode):
            raise InputError(f"{subj}: needs exactly one IRI for <{pred}>")
        return str(values[0].value)

    art_iri = node(KG + "article")
    art_id = iris.article_id(art_iri)
    s_id, o_id = iris.entity_id(node(RDF + "subject")), iris.entity_id(node(RDF + "object"))
    relation = iris.relation_name(node(RDF + "predicate"))
    if art_id is None or s_id is None or o_id is None or relation is None:
        raise InputError(f"{subj}: evidence must link an article, two entities and a vocabulary relation")
    negated = _one(props, "negated", subj) in ("true", "1")
    attributes = _one(props, "attributes", subj, required=False)
    try:
        start, end = int(_one(props, "start", subj) or ""), int(_one(props, "end", subj) or "")
        confidence = float(_one(props, "confidence", subj) or "")
    except ValueError as e:
        raise InputError(f"{subj}: offsets must be integers and confidence a number") from e
    # The fact id is recomputed, not trusted: it must agree with kg.model.fact_id in every store.
    return {
        "_index": _evidence_index(subj),
        "fact_id": fact_id(s_id, relation, o_id, negated),
        "article_id": art_id,
        "subject_id": s_id,
        "relation": relation,
        "object_id": o_id,
        "negated": negated,
        "date": _one(props, "date", subj, required=False),
        "confidence": confidence,
        "sentence": _one(props, "sentence", subj),
        "start": start,
        "end": end,
        "published": published.get(art_id),
        "cameo": _one(props, "cameo", subj, required=False),
        "plover": _one(props, "plover", subj, required=False),
        "title": _one(props, "title", subj, required=False),
        "attributes": _json(attributes, subj) if attributes else {},
    }


def _evidence_index(iri: str) -> str:
    """The node's position in its article (the last IRI segment), zero-padded so it sorts as a number."""
    tail = iri.rsplit(".", 1)[-1]
    return tail.zfill(12) if tail.isdigit() else tail


def _json(raw: str, subj: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as e:
        raise InputError(f"{subj}: invalid JSON literal") from e
    if not isinstance(value, dict):
        raise InputError(f"{subj}: JSON literal must be an object")
    return value


def _entity_types() -> dict[str, str]:
    return get_vocabulary().entity_types


def _relations() -> dict[str, Any]:
    return get_vocabulary().relations
