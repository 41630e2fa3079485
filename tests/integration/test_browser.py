"""Real-browser test: headless Debian chromium drives the Neo4j Browser served by our server.

The Node script (``tests/browser/browser_test.mjs``, playwright-core on ``/usr/bin/chromium``)
connects, applies ``schema/browser/style.grass`` with ``:style``, runs the ``proxy_network``
library query and reports what the graph view drew; then it drops the library's favorites zip
on the window and runs the same question as a favorite. Screenshots stay in ``artifacts/``.
Missing chromium, node or ``npm ci`` is a failure, never a skip.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from neo4j import Driver

from kg.browser import FAVORITES_FOLDER, browser_link, favorite_script, write_favorites_zip
from kg.querylib import get_query, list_queries
from kg.settings import Settings
from tests.integration.sample_graph import ingest_examples

ROOT = Path(__file__).resolve().parents[2]
BROWSER_DIR = ROOT / "tests" / "browser"
STYLE = ROOT / "schema" / "browser" / "style.grass"
SCREENSHOT = ROOT / "artifacts" / "browser.png"
FAVORITES_SCREENSHOT = ROOT / "artifacts" / "browser-favorites.png"
BROWSE_SCREENSHOT = ROOT / "artifacts" / "browser-kg-browse.png"
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]


def _style_colour(selector: str) -> str:
    pattern = rf"^{re.escape(selector)} \{{[^}}]*?color: (#[0-9A-Fa-f]{{6}});"
    match = re.search(pattern, STYLE.read_text(encoding="utf-8"), re.M)
    assert match, selector
    return match.group(1).upper()


def _require_tools() -> str:
    node = shutil.which("node")
    problems = []
    if not CHROMIUM.is_file():
        problems.append("Debian chromium is missing: apt-get install -y chromium chromium-driver")
    if node is None:
        problems.append("node is not on PATH")
    if not (BROWSER_DIR / "node_modules" / "playwright-core").is_dir():
        problems.append("playwright-core is not installed: (cd tests/browser && npm ci)")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
    assert node is not None
    return node


def test_browser_connects_styles_and_draws_the_proxy_network(
    neo4j_driver: Driver, kg_settings: Settings, tmp_path: Path
) -> None:
    node = _require_tools()
    link = browser_link(kg_settings)
    try:
        with urllib.request.urlopen(link.url, timeout=10) as response:
            page = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as e:
        pytest.fail(
            f"Neo4j Browser not served at {link.url}: {e} (is `kg neo4j start` running?)", pytrace=False
        )
    assert "Neo4j Browser" in page
    ingest_examples(neo4j_driver, kg_settings.neo4j_database)
    query = get_query("proxy_network")
    for stale in SCREENSHOT.parent.glob("browser*.png"):  # this run's pictures only
        stale.unlink()
    met = get_query("who_met_whom")  # opened the way `kg browse --query who_met_whom` prints it
    met_rows = neo4j_driver.execute_query(
        met.cypher, met.bind(), database_=kg_settings.neo4j_database
    ).records
    favorites = write_favorites_zip(tmp_path / "conflict-kg-queries.zip", list_queries())
    config = {
        "url": link.url,
        "user": kg_settings.neo4j_user,
        "password": kg_settings.neo4j_password,
        "style": STYLE.read_text(encoding="utf-8"),
        "params_command": query.params_command,
        "query": query.cypher,
        "screenshot": str(SCREENSHOT),
        "chromium": str(CHROMIUM),
        "timeout_ms": 90_000,
        "style_file": str(STYLE),
        "favorites_zip": str(favorites),
        "favorites_folder": FAVORITES_FOLDER,
        "favorite_title": query.description,
        "favorites_screenshot": str(FAVORITES_SCREENSHOT),
        "browse_url": browser_link(kg_settings, favorite_script(met)).url,
        "query_only": met.cypher,
        "browse_expect": met_rows[0]["actor"] if met_rows else "(no meeting in the sample)",
        "browse_screenshot": str(BROWSE_SCREENSHOT),
    }
    config_file = tmp_path / "browser-test.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")

    done = subprocess.run(
        [node, "browser_test.mjs", str(config_file)],
        cwd=BROWSER_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"browser test failed:\n{done.stderr}\n{done.stdout}"
    summary = json.loads(done.stdout.strip().splitlines()[-1])

    # The graph view drew the proxy network, captioned by name (not ids) ...
    captions = {" ".join(c.split()) for c in summary["captions"]}
    assert summary["nodes"] >= 3
    assert {"Iran", "Hezbollah", "Houthis"} <= captions
    assert not any(c.startswith(("country:", "armedgroup:")) for c in captions)
    assert any(c.startswith("PROXY_OF") for c in summary["relationship_captions"])
    # ... in the colours of style.grass, so the :style command took effect.
    fills = {f.upper() for f in summary["node_fills"] if f}
    assert {_style_colour("node.ArmedGroup"), _style_colour("node.Country")} <= fills
    rel_fills = {f.upper() for f in summary["relationship_fills"] if f}
    assert _style_colour("relationship.PROXY_OF") in rel_fills

    # Dropping the .grass file on the window (after :style reset) stores the same style.
    dropped = summary["dropped_style"]
    assert dropped["node.ArmedGroup"]["color"].upper() == _style_colour("node.ArmedGroup")
    assert dropped["relationship.MET"]["caption"] == "MET {first_date}"
    assert "" not in dropped

    # The dropped zip became a favorites folder with every library query, titled by description;
    # running one ran its :params line and its query, both successfully.
    assert sorted(summary["favorites"]["scripts"]) == sorted(q.description for q in list_queries())
    assert summary["favorites"]["statuses"] == ["Status: success", "Status: success"]
    assert summary["favorites"]["statements"][0] == query.params_command

    # `kg browse --query` opened the Browser with the script in the editor; one Run answered it.
    browse = summary["browse"]
    assert browse["editor"].splitlines()[0] == f"// {met.description}"
    assert f"{met.params_command};" in browse["editor"]
    assert browse["statuses"] == ["Status: success", "Status: success"]
    assert met_rows, "the sample has a meeting in 2024 (Biden and Netanyahu, article 000)"
    assert all(row["actor"] in browse["result"] and row["met"] in browse["result"] for row in met_rows)

    for screenshot in (SCREENSHOT, FAVORITES_SCREENSHOT, BROWSE_SCREENSHOT):
        assert screenshot.is_file()
        assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert screenshot.stat().st_size > 20_000
