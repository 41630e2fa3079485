"""Hand-built, deterministic extractions for the backend contract suite (no NLP involved).

Three articles about one small world. Shared by every backend's run of ``tests/contract`` so that
both stores are held to the same expectations.
"""

from __future__ import annotations

from kg.model import Article, ArticleExtraction, Entity, Evidence, Triple

USA = Entity("country:USA", "United States", "Country", ["US", "United States"], {"iso3": "USA"})
ISR = Entity("country:ISR", "Israel", "Country", ["Israel", "Israeli"], {"iso3": "ISR"})
IRN = Entity("country:IRN", "Iran", "Country", ["Iran"], {"iso3": "IRN"})
BLINKEN = Entity("person:antony-blinken", "Antony Blinken", "Person", ["Antony Blinken", "Blinken"])
DERMER = Entity("person:ron-dermer", "Ron Dermer", "Person", ["Ron Dermer", "Dermer"])
HEZBOLLAH = Entity("armedgroup:hezbollah", "Hezbollah", "ArmedGroup", ["Hezbollah"])
CEASEFIRE = Entity(
    "proposal:21-day-ceasefire", "21-day ceasefire", "Proposal", ["21-day ceasefire", "the truce"]
)
BEIRUT = Entity("location:beirut", "Beirut", "Location", ["Beirut"])


def _t(
    doc: str,
    s: Entity,
    rel: str,
    o: Entity,
    sentence: str,
    start: int,
    *,
    date: str | None = None,
    negated: bool = False,
    confidence: float = 0.8,
    **attributes: str,
) -> Triple:
    return Triple(
        doc=doc,
        subject=s,
        relation=rel,
        object=o,
        negated=negated,
        date=date,
        confidence=confidence,
        evidence=Evidence(sentence, start, start + len(sentence)),
        attributes=dict(attributes),
    )


def article_a1() -> ArticleExtraction:
    art = Article(
        id="a1",
        body="(body)",
        title="Talks in Washington",
        source="Wire A",
        url="http://example.org/a1",
        published="2024-09-26",
        licence="CC-BY-4.0",
    )
    s1 = "Dermer met Blinken in Washington."
    s2 = "The United States proposed a 21-day ceasefire."
    s3 = "Israel has not agreed to the truce."
    s4 = "Hezbollah, Iran's proxy, fired rockets."
    return ArticleExtraction(
        article=art,
        entities=[USA, ISR, IRN, BLINKEN, DERMER, HEZBOLLAH, CEASEFIRE],
        triples=[
            # written Dermer -> Blinken: the symmetric MET is stored Blinken -> Dermer (lower id first)
            _t("a1", DERMER, "MET", BLINKEN, s1, 0, date="2024-09-25", confidence=0.9),
            _t("a1", USA, "PROPOSED", CEASEFIRE, s2, 40, date="2024-09-25"),
            _t("a1", ISR, "AGREED_TO", CEASEFIRE, s3, 90, date="2024-09-26", negated=True, confidence=0.7),
            _t("a1", HEZBOLLAH, "PROXY_OF", IRN, s4, 130, confidence=0.6),
        ],
    )


def article_a2() -> ArticleExtraction:
    art = Article(
        id="a2",
        body="(body)",
        title="Strikes continue",
        source="Wire B",
        url="http://example.org/a2",
        published="2024-10-01",
    )
    blinken = Entity(BLINKEN.id, BLINKEN.name, "Person", ["Secretary Blinken"])
    s1 = "Blinken spoke with Dermer again."
    s2 = "Israel struck Hezbollah positions near Beirut."
    s3 = "Secretary of State Antony Blinken said the US backs the plan."
    s4 = "Israel still has not agreed to the ceasefire."
    return ArticleExtraction(
        article=art,
        entities=[blinken, DERMER, ISR, HEZBOLLAH, USA, CEASEFIRE, BEIRUT],
        triples=[
            _t("a2", blinken, "MET", DERMER, s1, 0, date="2024-09-30", confidence=0.95),
            _t("a2", ISR, "ATTACKED", HEZBOLLAH, s2, 40, date="2024-09-30"),
            _t("a2", ISR, "ATTACKED", BEIRUT, s2, 40, date="2024-09-30", confidence=0.5),
            _t("a2", blinken, "OFFICIAL_OF", USA, s3, 100, title="Secretary of State"),
            _t("a2", ISR, "AGREED_TO", CEASEFIRE, s4, 170, date="2024-10-01", negated=True, confidence=0.75),
        ],
    )


def article_a3() -> ArticleExtraction:
    art = Article(id="a3", body="(body)", title="Supplies", source="Wire A", published="2024-08-01")
    iran = Entity(IRN.id, IRN.name, "Country", ["Islamic Republic"], {"iso3": "IRN"})
    s1 = "The Islamic Republic supplied Hezbollah with drones in July."
    s2 = "Hezbollah fired at Israel."
    return ArticleExtraction(
        article=art,
        entities=[iran, HEZBOLLAH, ISR],
        triples=[
            _t("a3", iran, "AIDED", HEZBOLLAH, s1, 0, date="2024-07"),
            _t("a3", HEZBOLLAH, "ATTACKED", ISR, s2, 70, date="2024-07-28"),
        ],
    )


def article_a2_changed() -> ArticleExtraction:
    """a2 re-published: the MET and the Beirut strike are gone, a new CONDEMNED appears."""
    art = Article(
        id="a2",
        body="(body v2)",
        title="Strikes continue (updated)",
        source="Wire B",
        url="http://example.org/a2",
        published="2024-10-02",
    )
    s1 = "Israel struck Hezbollah positions."
    s2 = "Iran condemned Israel."
    return ArticleExtraction(
        article=art,
        entities=[ISR, HEZBOLLAH, IRN],
        triples=[
            _t("a2", ISR, "ATTACKED", HEZBOLLAH, s1, 0, date="2024-09-30"),
            _t("a2", IRN, "CONDEMNED", ISR, s2, 40, date="2024-10-01"),
        ],
    )


def article_unmentioned_only() -> ArticleExtraction:
    """An article that mentions an entity in no triple (it still gets a node)."""
    art = Article(id="a4", body="(body)", title="Quiet day", published="2024-10-03")
    return ArticleExtraction(article=art, entities=[BEIRUT], triples=[])


def sample_extractions() -> list[ArticleExtraction]:
    return [article_a1(), article_a2(), article_a3()]
