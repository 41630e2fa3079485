"""The spec's article format: optional header, case-insensitive keys, body offsets after the blank line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import ArticleError
from loaders.text import load_text_file, parse_article_text


def test_header_is_parsed_and_body_starts_after_blank_line() -> None:
    text = "title: Talks resume\nSOURCE: Wire\nPublished: 2024-03\nNote: translated\n\nBody starts here.\n"
    a = parse_article_text(text, "x1")
    assert (a.title, a.source, a.published) == ("Talks resume", "Wire", "2024-03")
    assert a.metadata == {"note": "translated"}
    assert a.body == "Body starts here.\n"


def test_no_header_means_whole_file_is_body() -> None:
    text = "Fighting continued on Monday near the border.\n\nMore text."
    a = parse_article_text(text, "x2")
    assert a.body == text and a.title is None and a.published is None


def test_colon_lines_that_are_not_a_header_stay_in_the_body() -> None:
    text = "Update: the talks failed\nWarning: more to come\n\nText."
    assert parse_article_text(text, "x3").body == text


def test_unknown_url_and_odd_published_are_dropped() -> None:
    a = parse_article_text("URL: unknown\nPublished: sometime\n\nBody.", "x4")
    assert a.url is None and a.published is None


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty file"), (b"\x00\x01binary", "binary"), (b"caf\xe9 au lait", "not UTF-8"),
     (b"Title: Only a header\n\n", "no body")],
)
def test_bad_files_get_clear_messages(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(ArticleError, match=message):
        load_text_file(p)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "big.txt"
    p.write_bytes(b"word " * 300)
    with pytest.raises(ArticleError, match="larger than"):
        load_text_file(p, max_bytes=1000)
