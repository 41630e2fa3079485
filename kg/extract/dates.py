"""Normalising a time expression of the body to ISO 8601 against the article's Published date.

News prose speaks of the past: "on Monday" is the latest Monday on or before publication, and a
day without a year takes the publication year (the year before when that would lie in the future).
The result is only as precise as the text and the anchor: "today" under a Published month is that
month; "last week" is a month; "in 1980" is a year.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from dateparser.date import DateDataParser

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_LEAD = re.compile(
    r"^(?:on|late|early|in|since|by|from|until|last|this|the|of|during|earlier|later|before|"
    r"after|mid|around|about|at)\b[\s-]*",
    re.I,
)
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_HAS_DAY = re.compile(r"\b\d{1,2}(st|nd|rd|th)?\b")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_WORDS = {
    "earlier in the day": 0,
    "later in the day": 0,
    "earlier today": 0,
    "today": 0,
    "tonight": 0,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "yesterday": 1,
    "last night": 1,
    "overnight": 0,
}
_MONTH_WORDS = (
    "last week",
    "this week",
    "earlier this week",
    "recent days",
    "past few days",
    "past week",
    "this month",
    "the past days",
    "last few days",
    "days",
    "weeks",
)
_YEAR_WORDS = ("autumn", "spring", "summer", "winter", "this year", "fall")


class Anchor:
    """The Published date with its precision (day, month or year)."""

    def __init__(self, published: str | None) -> None:
        self.precision: str | None = None
        self.date: dt.date | None = None
        if not published:
            return
        parts = published.split("-")
        try:
            if len(parts) >= 3:
                self.date, self.precision = dt.date(int(parts[0]), int(parts[1]), int(parts[2][:2])), "day"
            elif len(parts) == 2:
                self.date, self.precision = dt.date(int(parts[0]), int(parts[1]), 1), "month"
            else:
                self.date, self.precision = dt.date(int(parts[0]), 1, 1), "year"
        except ValueError:
            self.date, self.precision = None, None

    def fmt(self, d: dt.date, precision: str) -> str:
        order = {"year": 0, "month": 1, "day": 2}
        prec = (
            precision
            if self.precision is None or order[precision] <= order[self.precision]
            else self.precision
        )
        if prec == "day":
            return d.isoformat()
        if prec == "month":
            return f"{d.year:04d}-{d.month:02d}"
        return f"{d.year:04d}"


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    return DateDataParser(
        languages=["en"], settings={"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    )


def resolve_date(text: str, published: str | None) -> str | None:
    """ISO date of a time expression, or None when it names no resolvable time."""
    return _resolve_cached(text.strip(), published)


@lru_cache(maxsize=4096)
def _resolve_cached(text: str, published: str | None) -> str | None:
    return _resolve(text, Anchor(published), published)


def _resolve(text: str, anchor: Anchor, published: str | None) -> str | None:
    low = text.lower().replace("’", "'").strip(" ,.()")
    if not low:
        return None
    base = anchor.date
    for word, back in _DAY_WORDS.items():
        if low == word or low.endswith(" " + word) or low.startswith(word):
            if base is None:
                return None
            if anchor.precision != "day":
                back = 0  # "yesterday" under a Published month is still (most likely) that month
            return anchor.fmt(base - dt.timedelta(days=back), "day")
    for wd_i, wd in enumerate(WEEKDAYS):
        if re.search(rf"\b{wd}\b", low) and not any(m in low for m in _MONTHS) and not _YEAR.search(low):
            if base is None:
                return None
            if anchor.precision != "day":
                return anchor.fmt(base, "month")
            delta = (base.weekday() - wd_i) % 7
            if "last" in low.split() and delta == 0:
                delta = 7
            return anchor.fmt(base - dt.timedelta(days=delta), "day")
    if any(w in low for w in _MONTH_WORDS) and not any(m in low for m in _MONTHS):
        if base is None:
            return None
        d = base - dt.timedelta(days=7) if "last week" in low or "past week" in low else base
        return anchor.fmt(d, "month")
    if any(w in low for w in _YEAR_WORDS) and not _YEAR.search(low):
        return anchor.fmt(base, "year") if base else None
    stripped = low
    for _ in range(3):
        stripped = _LEAD.sub("", stripped)
    has_month = any(re.search(rf"\b{m}", stripped) for m in _MONTHS)
    year = _YEAR.search(stripped)
    if not has_month:
        if year and re.fullmatch(r"[\w\s-]*", stripped) and len(stripped) <= 12:
            return year.group(1)
        return None
    settings = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)  # type: ignore[assignment]
    try:
        data = (
            _parser().get_date_data(stripped)
            if base is None
            else DateDataParser(languages=["en"], settings=settings).get_date_data(stripped)
        )
    except Exception:  # dateparser raises assorted errors on odd input: no date then
        return None
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    if base is not None and not year and d > base + dt.timedelta(days=1):
        d = d.replace(year=d.year - 1)
    period = data.period or "day"
    if period == "day" and not _HAS_DAY.search(stripped):
        period = "month"
    if period not in ("day", "month", "year"):
        period = "day"
    if year and period == "day" and not _HAS_DAY.search(_YEAR.sub("", stripped)):
        period = "month"
    return (
        f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        if period == "day"
        else (f"{d.year:04d}-{d.month:02d}" if period == "month" else f"{d.year:04d}")
    )
