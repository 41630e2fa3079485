"""HTTP fetching for URL and feed sources: timeouts, a byte limit and one clear error per URL.

Bodies are streamed so an oversized page is cut off at the limit instead of filling memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from kg.errors import FetchError

USER_AGENT = "conflict-kg/0.1 (+https://github.com; research crawler)"


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str  # as requested
    final_url: str  # after redirects
    content_type: str  # media type without parameters, lower case ("" when absent)
    content: bytes
    encoding: str | None

    def text(self) -> str:
        return self.content.decode(self.encoding or "utf-8", errors="replace")


def fetch(
    url: str, timeout: float = 15.0, max_bytes: int = 10_000_000, client: httpx.Client | None = None
) -> Fetched:
    """GET one URL; raises FetchError naming the URL on any failure (status, timeout, size, network)."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"{url}: only http and https URLs can be fetched")
    own = client is None
    http = client or httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": USER_AGENT})
    try:
        with http.stream("GET", url) as response:
            if response.status_code >= 400:
                raise FetchError(f"{url}: HTTP {response.status_code} {response.reason_phrase}".rstrip())
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"{url}: {declared} bytes is larger than the {max_bytes}-byte limit (KG_FETCH_MAX_BYTES)"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: larger than the {max_bytes}-byte limit (KG_FETCH_MAX_BYTES)")
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return Fetched(url, str(response.url), content_type, b"".join(chunks), response.charset_encoding)
    except httpx.TimeoutException as e:
        raise FetchError(f"{url}: timed out after {timeout:g}s (KG_FETCH_TIMEOUT)") from e
    except httpx.HTTPError as e:
        raise FetchError(f"{url}: {e.__class__.__name__}: {e}") from e
    finally:
        if own:
            http.close()
