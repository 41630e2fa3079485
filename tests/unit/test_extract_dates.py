"""Time expressions resolved against the Published date (no spaCy needed)."""

from __future__ import annotations

import pytest

from kg.extract.dates import resolve_date

# 2024-03-07 is a Thursday.
PUB = "2024-03-07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2024-03-07"),
        ("yesterday", "2024-03-06"),
        ("earlier in the day", "2024-03-07"),
        ("on Tuesday", "2024-03-05"),
        ("late Sunday", "2024-03-03"),
        ("Thursday", "2024-03-07"),  # the publication day itself, not a week before
        ("last Thursday", "2024-02-29"),
        ("February 14", "2024-02-14"),
        ("14 February", "2024-02-14"),
        ("3rd March", "2024-03-03"),
        ("December 2", "2023-12-02"),  # no year and later than Published: last year's
        ("June 5, 2021", "2021-06-05"),
        ("January 2023", "2023-01"),
        ("in 1999", "1999"),
        ("last week", "2024-02"),
        ("in recent days", "2024-03"),
        ("this autumn", "2024"),
    ],
)
def test_resolves_relative_and_absolute_expressions(text: str, expected: str) -> None:
    assert resolve_date(text, PUB) == expected


def test_precision_never_exceeds_the_published_anchor() -> None:
    assert resolve_date("today", "2024-03") == "2024-03"
    assert resolve_date("on Monday", "2024-03") == "2024-03"
    assert resolve_date("yesterday", "1987") == "1987"


def test_absolute_dates_need_no_anchor() -> None:
    assert resolve_date("July 4, 1990", None) == "1990-07-04"
    assert resolve_date("today", None) is None


@pytest.mark.parametrize("text", ["21-day", "a year-long", "several hours", ""])
def test_durations_and_noise_are_no_dates(text: str) -> None:
    assert resolve_date(text, PUB) is None
