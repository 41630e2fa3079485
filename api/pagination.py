"""Opaque cursors for list endpoints: a URL-safe token encoding the offset of the next page."""

from __future__ import annotations

import base64
import binascii
import json

from api.errors import ValidationFailedError

_PREFIX = "o1"


def encode_cursor(offset: int) -> str:
    raw = json.dumps({"v": _PREFIX, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """Offset encoded in a cursor (0 for no cursor); a token we did not issue is a 422."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        offset = data["o"]
        if data.get("v") != _PREFIX or not isinstance(offset, int) or isinstance(offset, bool):
            raise ValueError("bad cursor")
        if offset < 0 or offset > 10_000_000:
            raise ValueError("bad cursor")
    except (ValueError, TypeError, KeyError, AttributeError, binascii.Error, UnicodeDecodeError) as e:
        raise ValidationFailedError("invalid cursor: pass back the next_cursor of a previous page") from e
    return offset


def next_cursor(offset: int, limit: int, fetched: int) -> str | None:
    """Callers fetch limit+1 rows: one more than asked means there is a next page."""
    return encode_cursor(offset + limit) if fetched > limit else None
