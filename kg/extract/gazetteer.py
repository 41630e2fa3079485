"""World actors known before reading an article: states, bodies, armed groups, titles.

States come from pycountry (ISO codes) and countryinfo (common names, capitals, demonyms,
alternative spellings); ``schema/gazetteers/*.yaml`` only adds what those packages lack.
Everything is loaded once per process and shared by all extractors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from kg.errors import ConfigError
from kg.vocabulary import SCHEMA_DIR

GAZETTEER_DIR = SCHEMA_DIR / "gazetteers"
LEXICON_DIR = SCHEMA_DIR / "lexicons"

# How a surface form refers to its entity; decides typing and metonymy.
NAME, DEMONYM, CAPITAL, METONYM = "name", "demonym", "capital", "metonym"


_NAME_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})


@dataclass(frozen=True, slots=True)
class GazEntry:
    """One known entity: its canonical name, type and (for states) ISO alpha-3."""

    key: str  # stable key inside the gazetteer: "country:ISR", "org:state-department"
    name: str
    type: str
    iso3: str | None = None
    country: str | None = None  # ISO3 of the state a body belongs to by definition
    part_of: str | None = None  # key of the body it belongs to by definition


@dataclass(slots=True)
class Gazetteer:
    entries: dict[str, GazEntry] = field(default_factory=dict)
    # exact surface form -> (entry key, how it refers)
    surfaces: dict[str, tuple[str, str]] = field(default_factory=dict)
    titles: dict[str, Any] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)  # only a state when the NER also sees a place
    body_words: set[str] = field(default_factory=set)  # "Ministry", "Forces": an owner's body
    water_words: set[str] = field(default_factory=set)
    vessel_words: set[str] = field(default_factory=set)
    facility_words: set[str] = field(default_factory=set)
    holders: list[tuple[str, str, frozenset[str]]] = field(default_factory=list)  # name, entry key, offices

    def holder_of(self, person: str, title: str) -> GazEntry | None:
        """The state or body a well-known person holds the given office in, if unambiguous."""
        hit = self.holder(person, title)
        return self.entries[hit[1]] if hit else None

    def holder(self, person: str, title: str) -> tuple[str, str] | None:
        """(the holder's canonical full name, the entry key of the state or body), if unambiguous."""
        title = title.replace("former ", "").strip().lower()
        words = [w for w in person.split() if w.rstrip(".,") not in _NAME_SUFFIXES]
        single = len(words) == 1
        hits: dict[str, str] = {}
        for name, key, offices in self.holders:
            if title not in offices:
                continue
            parts = name.split()
            # "Antony J. Blinken" and "Lloyd J. Austin III" are "Antony Blinken", "Lloyd Austin";
            # "Reagan" is "Ronald Reagan"
            same = person == name or (len(words) > 1 and words[0] == parts[0] and words[-1] == parts[-1])
            if same or (single and words[0] in (parts[0], parts[-1])):
                hits.setdefault(key, name)
        return (next(iter(hits.values())), next(iter(hits))) if len(hits) == 1 else None

    def lookup(self, surface: str) -> tuple[GazEntry, str] | None:
        hit = self.surfaces.get(surface)
        if hit is None and surface.lower().startswith("the "):
            hit = self.surfaces.get(surface[4:])
        if hit is None:
            return None
        return self.entries[hit[0]], hit[1]

    def country(self, iso3: str) -> GazEntry | None:
        return self.entries.get(f"country:{iso3}")


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise ConfigError(f"cannot read gazetteer {path}: {e}") from e


_ASCIIISH = re.compile(r"^[A-Za-z][A-Za-z .'’-]*$")


def _add(gaz: Gazetteer, surface: str, key: str, how: str, overwrite: bool = False) -> None:
    surface = surface.strip()
    if not surface:
        return
    if overwrite or surface not in gaz.surfaces:
        gaz.surfaces[surface] = (key, how)


def _pycountry_names(iso3: str) -> set[str]:
    c = pycountry.countries.get(alpha_3=iso3)
    return {c.name, getattr(c, "common_name", "") or ""} if c else set()


def _load_countries(gaz: Gazetteer) -> None:
    from countryinfo import CountryInfo  # heavy JSON load: only here

    data = _read_yaml(GAZETTEER_DIR / "countries.yaml")
    extra: dict[str, dict[str, list[str]]] = data.get("extra", {})
    not_states = set(data.get("not_states", []))
    despite = set(data.get("state_despite_ambiguity", []))
    press_codes = set(data.get("press_codes", []))
    not_metonym = set(data.get("capital_not_metonym", []))
    info: dict[str, dict[str, Any]] = {k: dict(v) for k, v in CountryInfo.all().items()}
    by_iso: dict[str, dict[str, Any]] = {}
    for record in info.values():
        iso = (record.get("ISO") or {}).get("alpha3")
        # several records share an ISO code (Wales, Scotland -> GBR): keep the one named like the state
        if iso and (iso not in by_iso or record.get("name") in _pycountry_names(iso)):
            by_iso[iso] = record
    # larger states first: they keep a shared demonym ("American") or capital name
    countries = sorted(pycountry.countries, key=lambda c: -(by_iso.get(c.alpha_3, {}).get("population") or 0))
    for country in countries:
        iso3 = country.alpha_3
        rec: dict[str, Any] = by_iso.get(iso3, {})
        name = rec.get("name") or getattr(country, "common_name", None) or country.name
        key = f"country:{iso3}"
        gaz.entries[key] = GazEntry(key=key, name=name, type="Country", iso3=iso3)
        names = {
            name,
            country.name,
            getattr(country, "common_name", "") or "",
            getattr(country, "official_name", "") or "",
        }
        alternatives = set()
        for alt in rec.get("altSpellings", []) or []:
            if len(alt) > 3 and _ASCIIISH.match(alt) and "," not in alt:
                alternatives.add(alt)
        # native and historic spellings ("Island" for Iceland) count only where the NER sees a place
        alternatives -= names | set(extra.get(iso3, {}).get("aliases", []))
        names |= alternatives
        names |= set(extra.get(iso3, {}).get("aliases", []))
        for n in names:
            if not n or "," in n:
                continue
            if (
                len(n) <= 3
                and n.isupper()
                and n not in press_codes
                and n not in extra.get(iso3, {}).get("aliases", [])
            ):
                continue
            if n in not_states:
                if n not in despite:
                    continue
                gaz.ambiguous.add(n)
            if n in alternatives and " " not in n:
                gaz.ambiguous.add(n)
            _add(gaz, n, key, NAME)
            if not n.startswith("the "):
                _add(gaz, f"the {n}", key, NAME)
        extra_demonyms = set(extra.get(iso3, {}).get("demonyms", []))
        demonyms = set(extra_demonyms)
        if rec.get("demonym"):
            demonyms.add(rec["demonym"])
        for d in demonyms:
            _add(gaz, d, key, DEMONYM, overwrite=d in extra_demonyms)
            if not d.endswith("s") and " " not in d and not d.endswith("-led"):
                _add(gaz, d + "s", key, DEMONYM)
        capital = rec.get("capital")
        if capital and capital not in not_metonym and _ASCIIISH.match(capital):
            _add(gaz, capital, key, CAPITAL)
        for m in extra.get(iso3, {}).get("metonyms", []):
            _add(gaz, m, key, METONYM, overwrite=True)
    # extra aliases win over other countries' alternative spellings ("Congo", "Sudan")
    for iso3, ext in extra.items():
        for n in ext.get("aliases", []):
            _add(gaz, n, f"country:{iso3}", NAME, overwrite=True)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _load_bodies(gaz: Gazetteer) -> None:
    orgs = _read_yaml(GAZETTEER_DIR / "organizations.yaml")
    groups = _read_yaml(GAZETTEER_DIR / "armed_groups.yaml")
    gaz.body_words = set(orgs.get("body_words", []))
    gaz.water_words = set(orgs.get("water_words", []))
    gaz.vessel_words = set(orgs.get("vessel_words", []))
    gaz.facility_words = set(orgs.get("facility_words", []))
    pending_parts: list[tuple[str, str]] = []
    sections: list[tuple[list[dict[str, Any]], str]] = [
        (orgs.get("intergovernmental", []), "Organization"),
        (orgs.get("government", []), "Organization"),
        (groups.get("groups", []), "ArmedGroup"),
    ]
    for items, etype in sections:
        for item in items:
            name = item["name"]
            key = f"{'group' if etype == 'ArmedGroup' else 'org'}:{_slug(name)}"
            gaz.entries[key] = GazEntry(
                key=key, name=name, type=item.get("type", etype), country=item.get("country")
            )
            if item.get("part_of"):
                pending_parts.append((key, item["part_of"]))
            for surface in [name, *item.get("aliases", [])]:
                _add(gaz, surface, key, NAME, overwrite=True)
                if not surface.lower().startswith("the ") and len(surface) > 3:
                    _add(gaz, f"the {surface}", key, NAME)
    by_name = {e.name: e.key for e in gaz.entries.values()}
    for key, parent in pending_parts:
        e = gaz.entries[key]
        gaz.entries[key] = GazEntry(
            key=e.key, name=e.name, type=e.type, iso3=e.iso3, country=e.country, part_of=by_name.get(parent)
        )


@lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    gaz = Gazetteer()
    _load_countries(gaz)
    _load_bodies(gaz)
    gaz.titles = _read_yaml(GAZETTEER_DIR / "titles.yaml")
    _load_holders(gaz)
    return gaz


def _load_holders(gaz: Gazetteer) -> None:
    data = _read_yaml(GAZETTEER_DIR / "office_holders.yaml")
    by_name = {e.name: e.key for e in gaz.entries.values() if e.type != "Country"}
    for item in data.get("holders", []):
        where = str(item["in"])
        key = f"country:{where}" if len(where) == 3 and where.isupper() else by_name.get(where)
        if key is None or key not in gaz.entries:
            raise ConfigError(f"office_holders.yaml: unknown state or body {where!r} for {item['name']}")
        offices = frozenset(str(o).lower() for o in item.get("offices", []))
        gaz.holders.append((item["name"], key, offices))
