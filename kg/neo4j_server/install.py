"""Fetch the server's jars from Maven Central into a shared cache and lay out an instance home.

Maven resolves the runtime closure of ``org.neo4j:neo4j`` (what the official tarball's ``lib/``
holds) plus the Browser jar, from a throwaway pom generated in the cache; Maven's own repository
(``~/.m2`` unless ``KG_MAVEN_CACHE``) is the download cache, the copied ``lib/`` is reused by every
instance. A lock file serialises concurrent installs into the same cache, and the copy is built in
a temporary folder and renamed, so a half-finished download is never mistaken for a complete one.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError
from kg.neo4j_server.config import render_config
from kg.neo4j_server.layout import ServerLayout

DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
COMPLETE_MARKER = ".complete"
MAVEN_TIMEOUT_S = 1800.0

_POM_TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<!-- Throwaway pom written by `kg neo4j install`: only used to resolve runtime jars. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>kg.local</groupId>
  <artifactId>{artifact_id}</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
{dependencies}
  </dependencies>
</project>
"""

_DEPENDENCY_TEMPLATE = """    <dependency>
      <groupId>{group}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{version}</version>
    </dependency>"""

_VERSIONED_JAR = re.compile(r"^(?P<name>.+?)-\d[^-]*(?:-[^-]+)*\.jar$")


@dataclass(frozen=True)
class InstallResult:
    home: Path
    lib_dir: Path
    jar_count: int
    downloaded: bool  # False when the cached jars were reused
    password_set: bool  # True when this call set the initial password
    seconds: float


def is_installed(layout: ServerLayout) -> bool:
    return (layout.artifact_dir / COMPLETE_MARKER).is_file() and layout.conf_file.is_file()


def install(layout: ServerLayout) -> InstallResult:
    started = time.monotonic()
    if len(layout.password) < 8:
        raise ServerError("KG_NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum).")
    downloaded = ensure_artifacts(layout)
    prepare_home(layout)
    password_set = ensure_initial_password(layout)
    return InstallResult(
        home=layout.home,
        lib_dir=layout.lib_dir,
        jar_count=len(list(layout.lib_dir.glob("*.jar"))),
        downloaded=downloaded,
        password_set=password_set,
        seconds=time.monotonic() - started,
    )


def ensure_artifacts(layout: ServerLayout) -> bool:
    """Make sure the jar cache for these versions is complete; return True if it was fetched now."""
    if (layout.artifact_dir / COMPLETE_MARKER).is_file():
        return False
    layout.cache_dir.mkdir(parents=True, exist_ok=True)
    with _locked(layout.cache_dir / ".install.lock"):
        if (layout.artifact_dir / COMPLETE_MARKER).is_file():  # another process finished meanwhile
            return False
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=layout.cache_dir))
        try:
            _fetch_into(layout, staging)
            (staging / COMPLETE_MARKER).write_text(f"neo4j {layout.version}\n")
            if layout.artifact_dir.exists():
                shutil.rmtree(layout.artifact_dir)
            staging.rename(layout.artifact_dir)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return True


def prepare_home(layout: ServerLayout) -> None:
    for folder in (
        layout.conf_dir,
        layout.data_dir,
        layout.logs_dir,
        layout.run_dir,
        layout.plugins_dir,
        layout.import_dir,
    ):
        folder.mkdir(parents=True, exist_ok=True)
    write_config(layout)
    if layout.cache_plugins_dir.is_dir():
        for jar in layout.cache_plugins_dir.glob("*.jar"):
            target = layout.plugins_dir / jar.name
            if not target.exists():
                shutil.copy2(jar, target)


def write_config(layout: ServerLayout) -> None:
    layout.conf_dir.mkdir(parents=True, exist_ok=True)
    layout.conf_file.write_text(render_config(layout))


def ensure_initial_password(layout: ServerLayout) -> bool:
    """Set the password with Neo4j's admin tool; it only takes effect before the first start."""
    if layout.auth_file.exists() or (layout.data_dir / "databases" / "system").exists():
        return False
    if len(layout.password) < 8:
        raise ServerError("KG_NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum).")
    env = dict(os.environ, NEO4J_HOME=str(layout.home), NEO4J_CONF=str(layout.conf_dir))
    command = [
        java_executable(layout),
        "-cp",
        f"{layout.lib_dir}/*",
        ADMIN_TOOL,
        "dbms",
        "set-initial-password",
        layout.password,
    ]
    result = _run(command, env=env, timeout=300.0)
    if result.returncode != 0:
        raise ServerError(f"Setting the initial Neo4j password failed:\n{_tail(result.stdout)}")
    return True


def java_executable(layout: ServerLayout) -> str:
    found = shutil.which(layout.java)
    if found is None:
        raise ServerError(
            f"Java not found ({layout.java!r}). Neo4j 5.26 needs Java 17 or 21: "
            "install a JDK (e.g. apt-get install openjdk-17-jre-headless) or set KG_NEO4J_JAVA."
        )
    return found


def _fetch_into(layout: ServerLayout, staging: Path) -> None:
    server = [
        ("org.neo4j", "neo4j", layout.version),
        ("org.neo4j.client", "neo4j-browser", layout.browser_version),
    ]
    _copy_runtime_closure(layout, staging / "server-pom", server, staging / "lib", "the Neo4j server jars")
    if not (staging / "lib" / f"neo4j-{layout.version}.jar").is_file():
        raise ServerError(f"Maven finished but neo4j-{layout.version}.jar is missing from {staging / 'lib'}.")
    if layout.apoc:
        # On Central, apoc-core 5.26.12 is a thin jar: apoc-common and their libraries come separately.
        apoc = [
            ("org.neo4j.procedure", "apoc-core", layout.version),
            ("org.neo4j.procedure", "apoc-common", layout.version),
        ]
        _copy_runtime_closure(layout, staging / "apoc-pom", apoc, staging / "plugins", "the APOC plugin")
        _drop_jars_the_server_has(staging / "plugins", staging / "lib")


def _copy_runtime_closure(
    layout: ServerLayout, pom_dir: Path, artifacts: list[tuple[str, str, str]], target: Path, what: str
) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServerError("Maven (mvn) not found: install it (apt-get install maven) to fetch Neo4j's jars.")
    pom_dir.mkdir(parents=True, exist_ok=True)
    pom = pom_dir / "pom.xml"
    dependencies = "\n".join(
        _DEPENDENCY_TEMPLATE.format(group=group, artifact=artifact, version=version)
        for group, artifact, version in artifacts
    )
    pom.write_text(_POM_TEMPLATE.format(artifact_id=pom_dir.name, dependencies=dependencies))
    command = [mvn, "-B", "-q", "-f", str(pom)]
    if layout.maven_repo is not None:
        command.append(f"-Dmaven.repo.local={layout.maven_repo}")
    command += [
        f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={target}",
    ]
    _maven(command, what=what)


def _drop_jars_the_server_has(plugins: Path, lib: Path) -> None:
    """A plugin's copy of a library the server already ships (other version) would shadow it."""
    server_names = {_jar_name(jar) for jar in lib.glob("*.jar")}
    for jar in plugins.glob("*.jar"):
        if _jar_name(jar) in server_names:
            jar.unlink()


def _jar_name(jar: Path) -> str:
    match = _VERSIONED_JAR.match(jar.name)
    return match.group("name") if match else jar.stem


def _maven(command: list[str], what: str) -> None:
    result = _run(command, env=None, timeout=MAVEN_TIMEOUT_S)
    if result.returncode != 0:
        raise ServerError(f"Maven could not fetch {what} (exit {result.returncode}):\n{_tail(result.stdout)}")


def _run(command: list[str], env: dict[str, str] | None, timeout: float) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            command,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ServerError(f"Running {command[0]} failed: {e}") from e


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
