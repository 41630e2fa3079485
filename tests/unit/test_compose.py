"""docker-compose.yml describes the Neo4j + API stack correctly.

With a compose CLI (``docker compose`` or ``docker-compose``) the file is checked as compose itself
normalises it; without one, the raw YAML is checked for the same structure. In CI a missing
compose CLI is a failure, not a reason to skip: `.ci/run` installs one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"


def _compose_cli() -> list[str] | None:
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def _load_compose() -> dict[str, Any]:
    cli = _compose_cli()
    if cli is None:
        if os.environ.get("CI"):
            pytest.fail(
                "CI is set but no compose CLI was found (neither `docker compose` nor `docker-compose`): "
                "`docker compose config` must run in CI. .ci/run installs Debian's docker-compose."
            )
        data = yaml.safe_load(COMPOSE_FILE.read_text())
        assert isinstance(data, dict)
        return data
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    result = subprocess.run(
        [*cli, "-f", str(COMPOSE_FILE), "config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"{' '.join(cli)} config rejected docker-compose.yml:\n{result.stderr}"
    data = yaml.safe_load(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return _load_compose()


def _env(service: dict[str, Any]) -> dict[str, str]:
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        return dict(item.split("=", 1) for item in raw)
    return {str(k): str(v) for k, v in raw.items()}


def _ports(service: dict[str, Any]) -> set[tuple[int, int]]:
    """(published, target) pairs from short ("7474:7474") or long ({published, target}) syntax."""
    pairs = set()
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            pairs.add((int(port["published"]), int(port["target"])))
        else:
            published, target = str(port).rsplit(":", 1)
            pairs.add((int(published.rsplit(":", 1)[-1]), int(target)))
    return pairs


def _volume_targets(service: dict[str, Any]) -> dict[str, str]:
    """target -> source for short ("name:/path[:rw]") or long ({source, target}) syntax."""
    targets = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            targets[str(volume["target"])] = str(volume["source"])
        else:
            source, target = str(volume).split(":")[:2]
            targets[target] = source
    return targets


def _command(service: dict[str, Any]) -> list[str]:
    command = service["command"]
    return command.split() if isinstance(command, str) else [str(part) for part in command]


def test_services_are_neo4j_and_api(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == {"neo4j", "api"}


def test_neo4j_service(compose: dict[str, Any]) -> None:
    neo4j = compose["services"]["neo4j"]
    assert re.fullmatch(r"neo4j:5\.26\.\d+-community", neo4j["image"]), neo4j["image"]
    env = _env(neo4j)
    assert "apoc" in json.loads(env["NEO4J_PLUGINS"])
    assert env["NEO4J_AUTH"].startswith("neo4j/")
    assert "kg-password" in env["NEO4J_AUTH"]  # the default when NEO4J_PASSWORD is unset
    assert {(7474, 7474), (7687, 7687)} <= _ports(neo4j)
    assert neo4j["healthcheck"]["test"]
    volumes = _volume_targets(neo4j)
    assert {"/data", "/logs"} <= set(volumes)
    assert {volumes["/data"], volumes["/logs"]} <= set(compose["volumes"])


def test_api_service(compose: dict[str, Any]) -> None:
    api = compose["services"]["api"]
    build = api["build"]
    context = Path(str(build["context"]))
    assert (context if context.is_absolute() else ROOT / context).resolve() == ROOT
    assert build.get("dockerfile", "Dockerfile") == "Dockerfile"
    assert _command(api) == ["kg", "serve", "--host", "0.0.0.0", "--port", "8000"]
    env = _env(api)
    assert env["KG_STORE"] == "neo4j"
    assert env["KG_NEO4J_URI"] == "bolt://neo4j:7687"
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert (8000, 8000) in _ports(api)


def test_dockerfile_builds_the_project_on_python_311_slim() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", dockerfile, re.MULTILINE)
    assert re.search(r"pip install (-e )?\.", dockerfile)
    assert '"kg", "serve", "--host", "0.0.0.0", "--port", "8000"' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".venv" in ignored and ".git" in ignored
