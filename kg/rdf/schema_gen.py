"""Generates ``schema/ontology.ttl``, ``schema/shapes.ttl`` and ``schema/context.jsonld`` from the vocabulary.

They are outputs, not sources: ``schema/vocabulary.yaml`` stays the one place the vocabulary is edited, and a
unit test fails when the committed files differ from what this module generates. The Turtle is written as
text rather than through a serializer so that the output is byte-for-byte stable and reads like a hand-made
file (one block per class or property, lists in vocabulary order).

Regenerate with ``python -m kg.rdf.schema_gen`` (``--check`` only reports stale files).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kg.rdf import iris
from kg.rdf.iris import KG, PREFIXES
from kg.vocabulary import SCHEMA_DIR, Relation, Vocabulary, get_vocabulary

HEADER = "# GENERATED from schema/vocabulary.yaml by `python -m kg.rdf.schema_gen`: do not edit by hand.\n"
ARTICLE_COMMENT = "a news article or statement; its IRI also names the graph of what it states"
FACT_COMMENT = "a statement merged over every article that makes it (derived by the embedded store)"
DATE_TYPES = ("xsd:date", "xsd:gYearMonth", "xsd:gYear")

# Datatype properties: (local name, range, comment). The mapping in kg.rdf.mapping writes exactly these.
DATA_PROPERTIES: tuple[tuple[str, str, str], ...] = (
    ("id", "xsd:string", "the canonical id of an entity or the id of an article"),
    ("name", "xsd:string", "the preferred name of an entity"),
    ("alias", "xsd:string", "a surface form an article used for the entity"),
    ("iso3", "xsd:string", "ISO 3166-1 alpha-3 code of a country"),
    ("properties", "rdf:JSON", "other entity properties as a JSON object"),
    ("title", "xsd:string", "an article's title, or the title an OFFICIAL_OF statement gives the person"),
    ("url", "xsd:string", "where the article was published"),
    ("source", "xsd:string", "the publisher of the article"),
    ("published", "rdfs:Literal", "publication date (xsd:date, xsd:gYearMonth or xsd:gYear)"),
    ("licence", "xsd:string", "the article's licence as stated"),
    ("metadata", "rdf:JSON", "other header fields of the article as a JSON object"),
    (
        "factId",
        "xsd:string",
        "id of the merged fact the statement supports (subject, relation, object, negation)",
    ),
    ("negated", "xsd:boolean", "true when the sentence states that the relation did NOT hold"),
    ("sentence", "xsd:string", "the evidence sentence, verbatim"),
    ("start", "xsd:integer", "character offset of the sentence in the article body"),
    ("end", "xsd:integer", "character offset just after the sentence"),
    ("date", "rdfs:Literal", "event date (xsd:date, xsd:gYearMonth or xsd:gYear)"),
    ("confidence", "xsd:double", "extractor confidence in [0, 1]"),
    ("cameo", "xsd:string", "CAMEO code attached to the statement"),
    ("plover", "xsd:string", "PLOVER event type attached to the statement"),
    ("attributes", "rdf:JSON", "further extractor attributes as a JSON object"),
    ("record", "rdf:JSON", "the embedded store's derived record of an entity or fact, as JSON"),
    ("mentionRow", "rdf:JSON", "the embedded store's note of how one article described an entity"),
    ("evidenceRows", "rdf:JSON", "the embedded store's note of one article's evidence rows of a fact"),
)
ANNOTATIONS: tuple[tuple[str, str], ...] = (
    ("relationName", "the relation's name in the vocabulary and the Neo4j relationship type"),
    ("relationKind", "event (happened, carries a date) or standing (a state of affairs)"),
    ("cameoCode", "CAMEO 1.1b3 event code"),
    ("cameoLabel", "CAMEO 1.1b3 event label"),
    ("ploverType", "PLOVER event type"),
)


def lit(text: str) -> str:
    """A Turtle string literal."""
    return json.dumps(text, ensure_ascii=False)


def _prefix_block(names: tuple[str, ...]) -> str:
    return "".join(f"@prefix {n}: <{PREFIXES[n]}> .\n" for n in names)


def _type_expr(vocab: Vocabulary, types: tuple[str, ...]) -> str:
    """A class or an anonymous union of classes, ``kg:Actor`` when the list is exactly the actor types."""
    if len(types) == 1:
        return f"kg:{types[0]}"
    if set(types) == set(vocab.actor_types) and len(types) == len(vocab.actor_types):
        return "kg:Actor"
    return "[ a owl:Class ; owl:unionOf ( " + " ".join(f"kg:{t}" for t in types) + " ) ]"


def _signature(rel: Relation) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Domain and range; a symmetric relation takes the union of both sides for each."""
    if rel.symmetric:
        both = tuple(dict.fromkeys(rel.subject_types + rel.object_types))
        return both, both
    return rel.subject_types, rel.object_types


def ontology_ttl(vocab: Vocabulary | None = None) -> str:
    vocab = vocab or get_vocabulary()
    out = [HEADER, _prefix_block(("kg", "rdf", "rdfs", "owl", "xsd", "skos")), "\n"]
    out.append(
        f"<{iris.ONTOLOGY_IRI}> a owl:Ontology ;\n"
        f"    rdfs:label {lit('Open conflict-event knowledge graph ontology')} ;\n"
        f"    rdfs:comment {lit('Entity types and relations of schema/vocabulary.yaml. A fact is a triple in the named graph of each article that states it; evidence is a reified kg:Evidence statement.')} .\n\n"  # noqa: E501
    )
    out.append("# Classes\n\n")
    out.append(
        f"kg:Entity a owl:Class ;\n    rdfs:label {lit('Entity')} ;\n"
        f"    rdfs:comment {lit('anything an article names and the graph relates')} .\n\n"
    )
    actors = " ".join(f"kg:{t}" for t in vocab.actor_types)
    out.append(
        f"kg:Actor a owl:Class ;\n    rdfs:label {lit('Actor')} ;\n    rdfs:subClassOf kg:Entity ;\n"
        f"    owl:unionOf ( {actors} ) ;\n"
        f"    rdfs:comment {lit('who can act: the vocabulary actor types')} .\n\n"
    )
    for name, description in vocab.entity_types.items():
        out.append(
            f"kg:{name} a owl:Class ;\n    rdfs:label {lit(name)} ;\n    rdfs:subClassOf kg:Entity ;\n"
            f"    rdfs:comment {lit(description)} .\n\n"
        )
    out.append(
        f"kg:Article a owl:Class ;\n    rdfs:label {lit('Article')} ;\n"
        f"    rdfs:comment {lit(ARTICLE_COMMENT)} .\n\n"
    )
    out.append(
        f"kg:Evidence a owl:Class ;\n    rdfs:label {lit('Evidence')} ;\n"
        "    rdfs:subClassOf rdf:Statement ;\n"
        f"    rdfs:comment {lit('one sentence of one article stating (or negating) one fact')} .\n\n"
    )
    out.append(
        f"kg:Fact a owl:Class ;\n    rdfs:label {lit('Fact')} ;\n    rdfs:subClassOf rdf:Statement ;\n"
        f"    rdfs:comment {lit(FACT_COMMENT)} .\n\n"
    )
    out.append("# Relations (one object property per vocabulary relation)\n\n")
    for rel in vocab.relations.values():
        domain, range_ = _signature(rel)
        kinds = "owl:ObjectProperty, owl:SymmetricProperty" if rel.symmetric else "owl:ObjectProperty"
        lines = [
            f"kg:{iris.property_local_name(rel.name)} a {kinds} ;",
            f"    rdfs:label {lit(rel.name)} ;",
            f"    rdfs:comment {lit(rel.description)} ;",
            f"    kg:relationName {lit(rel.name)} ;",
            f"    kg:relationKind {lit(rel.kind)} ;",
        ]
        if rel.cameo:
            lines.append(f"    kg:cameoCode {lit(rel.cameo)} ;")
        if rel.cameo_label:
            lines.append(f"    kg:cameoLabel {lit(rel.cameo_label)} ;")
        if rel.plover:
            lines.append(f"    kg:ploverType {lit(rel.plover)} ;")
        lines.append(f"    rdfs:domain {_type_expr(vocab, domain)} ;")
        lines.append(f"    rdfs:range {_type_expr(vocab, range_)} .")
        out.append("\n".join(lines) + "\n\n")
    out.append("# Provenance and description properties\n\n")
    out.append(
        f"kg:article a owl:ObjectProperty, owl:FunctionalProperty ;\n    rdfs:label {lit('article')} ;\n"
        f"    rdfs:domain kg:Evidence ;\n    rdfs:range kg:Article ;\n"
        f"    rdfs:comment {lit('the article the evidence sentence is from')} .\n\n"
    )
    out.append(
        f"kg:mentions a owl:ObjectProperty ;\n    rdfs:label {lit('mentions')} ;\n"
        f"    rdfs:domain kg:Article ;\n    rdfs:range kg:Entity ;\n"
        f"    rdfs:comment {lit('an entity the article takes part in a statement about')} .\n\n"
    )
    for local, datatype, comment in DATA_PROPERTIES:
        out.append(
            f"kg:{local} a owl:DatatypeProperty ;\n    rdfs:label {lit(local)} ;\n"
            f"    rdfs:range {datatype} ;\n    rdfs:comment {lit(comment)} .\n\n"
        )
    out.append("# Annotations on relations\n\n")
    for local, comment in ANNOTATIONS:
        out.append(
            f"kg:{local} a owl:AnnotationProperty ;\n    rdfs:label {lit(local)} ;\n"
            f"    rdfs:comment {lit(comment)} .\n\n"
        )
    return "".join(out).rstrip("\n") + "\n"


def _or_classes(types: tuple[str, ...]) -> str:
    if len(types) == 1:
        return f"sh:class kg:{types[0]}"
    return "sh:or ( " + " ".join(f"[ sh:class kg:{t} ]" for t in types) + " )"


def _prop(path: str, *constraints: str) -> str:
    return "    sh:property [ sh:path " + path + " ; " + " ; ".join(constraints) + " ]"


def _shape(name: str, target: str, props: list[str], comment: str) -> str:
    body = " ;\n".join(
        [f"kg:{name} a sh:NodeShape", f"    {target}", f"    rdfs:comment {lit(comment)}", *props]
    )
    return body + " .\n\n"


def shapes_ttl(vocab: Vocabulary | None = None) -> str:
    vocab = vocab or get_vocabulary()
    dates = "sh:or ( " + " ".join(f"[ sh:datatype {d} ]" for d in DATE_TYPES) + " )"
    one, opt = "sh:minCount 1 ; sh:maxCount 1", "sh:maxCount 1"
    types = " ".join(f"kg:{t}" for t in vocab.entity_types)
    relations = " ".join(f"kg:{iris.property_local_name(r)}" for r in vocab.relations)
    out = [HEADER, _prefix_block(("kg", "rdf", "rdfs", "xsd", "sh")), "\n"]
    out.append(
        _shape(
            "EntityShape",
            "sh:targetClass kg:Entity",
            [
                _prop("kg:id", "sh:datatype xsd:string", one),
                _prop("kg:name", "sh:datatype xsd:string", one, "sh:minLength 1"),
                _prop("kg:alias", "sh:datatype xsd:string"),
                _prop("kg:properties", "sh:datatype rdf:JSON", opt),
                _prop(
                    "rdf:type",
                    f"sh:qualifiedValueShape [ sh:in ( {types} ) ]",
                    "sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1",
                ),
            ],
            "an entity has one id, one name and exactly one vocabulary type",
        )
    )
    out.append(
        _shape(
            "CountryShape",
            "sh:targetClass kg:Country",
            [
                _prop("kg:iso3", "sh:datatype xsd:string", opt, 'sh:pattern "^[A-Z]{3}$"'),
            ],
            "a country may carry its ISO 3166-1 alpha-3 code",
        )
    )
    out.append(
        _shape(
            "ArticleShape",
            "sh:targetClass kg:Article",
            [
                _prop("kg:id", "sh:datatype xsd:string", one),
                _prop("kg:title", "sh:datatype xsd:string", opt),
                _prop("kg:url", "sh:datatype xsd:string", opt),
                _prop("kg:source", "sh:datatype xsd:string", opt),
                _prop("kg:licence", "sh:datatype xsd:string", opt),
                _prop("kg:published", opt, dates),
                _prop("kg:metadata", "sh:datatype rdf:JSON", opt),
                _prop("kg:mentions", "sh:class kg:Entity"),
            ],
            "article metadata; the publication date has day, month or year precision",
        )
    )
    out.append(
        _shape(
            "EvidenceShape",
            "sh:targetClass kg:Evidence",
            [
                _prop("kg:article", "sh:class kg:Article", one),
                _prop("kg:factId", "sh:datatype xsd:string", one),
                _prop("rdf:subject", "sh:class kg:Entity", one),
                _prop("rdf:predicate", f"sh:in ( {relations} )", one),
                _prop("rdf:object", "sh:class kg:Entity", one),
                _prop("kg:negated", "sh:datatype xsd:boolean", one),
                _prop("kg:sentence", "sh:datatype xsd:string", one),
                _prop("kg:start", "sh:datatype xsd:integer", one, "sh:minInclusive 0"),
                _prop("kg:end", "sh:datatype xsd:integer", one, "sh:minInclusive 0"),
                _prop(
                    "kg:confidence", "sh:datatype xsd:double", one, "sh:minInclusive 0 ; sh:maxInclusive 1"
                ),
                _prop("kg:date", opt, dates),
                _prop("kg:cameo", "sh:datatype xsd:string", opt),
                _prop("kg:plover", "sh:datatype xsd:string", opt),
                _prop("kg:title", "sh:datatype xsd:string", opt),
                _prop("kg:attributes", "sh:datatype rdf:JSON", opt),
            ],
            "one sentence stating one fact: a reified vocabulary relation between two entities",
        )
    )
    for rel in vocab.relations.values():
        local = iris.property_local_name(rel.name)
        domain, range_ = _signature(rel)
        cap = local[0].upper() + local[1:]
        out.append(
            _shape(
                f"{cap}SubjectShape",
                f"sh:targetSubjectsOf kg:{local}",
                [
                    "    " + _or_classes(domain),
                    _prop(f"kg:{local}", _or_classes(range_)),
                ],
                f"{rel.name}: subject types {', '.join(domain)}; object types {', '.join(range_)}",
            )
        )
    return "".join(out).rstrip("\n") + "\n"


def context_jsonld(vocab: Vocabulary | None = None) -> str:
    """A JSON-LD context naming every class and property by its local name."""
    vocab = vocab or get_vocabulary()
    ctx: dict[str, object] = {
        "kg": KG,
        "ent": iris.ENTITY,
        "art": iris.ARTICLE,
        "ev": iris.EVIDENCE,
        "rdf": PREFIXES["rdf"],
        "xsd": PREFIXES["xsd"],
        "@vocab": KG,
    }
    for cls in ("Entity", "Actor", *vocab.entity_types, "Article", "Evidence"):
        ctx[cls] = f"kg:{cls}"
    for rel in vocab.relations:
        local = iris.property_local_name(rel)
        ctx[local] = {"@id": f"kg:{local}", "@type": "@id"}
    typed = {
        "start": "xsd:integer",
        "end": "xsd:integer",
        "confidence": "xsd:double",
        "negated": "xsd:boolean",
        "properties": "@json",
        "attributes": "@json",
        "metadata": "@json",
    }
    for local, _range, _comment in DATA_PROPERTIES:
        entry: dict[str, object] = {"@id": f"kg:{local}"}
        if local in typed:
            entry["@type"] = typed[local]
        if local == "alias":
            entry["@container"] = "@set"
        ctx[local] = entry
    ctx["article"] = {"@id": "kg:article", "@type": "@id"}
    ctx["mentions"] = {"@id": "kg:mentions", "@type": "@id", "@container": "@set"}
    ctx["subject"] = {"@id": "rdf:subject", "@type": "@id"}
    ctx["predicate"] = {"@id": "rdf:predicate", "@type": "@vocab"}
    ctx["object"] = {"@id": "rdf:object", "@type": "@id"}
    return json.dumps({"@context": ctx}, indent=2, ensure_ascii=False) + "\n"


GENERATED = {
    "ontology.ttl": ontology_ttl,
    "shapes.ttl": shapes_ttl,
    "context.jsonld": context_jsonld,
}


def generate(schema_dir: Path = SCHEMA_DIR) -> dict[Path, str]:
    """The files that should be in ``schema_dir`` and their exact content."""
    return {schema_dir / name: fn() for name, fn in GENERATED.items()}


def stale(schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Generated files missing or different from what the vocabulary gives now."""
    return [
        path
        for path, text in generate(schema_dir).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]


def write(schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    written = []
    for path, text in generate(schema_dir).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        paths = stale()
        for path in paths:
            print(f"stale: {path}")
        return 1 if paths else 0
    for path in write():
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
