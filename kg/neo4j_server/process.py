"""Start, stop and inspect one server instance as a detached background process.

The pid file records the pid and the ports it was started with; before signalling a pid we check
its command line really is a Neo4j server launched for this home, so a stale pid file (reused pid
after a reboot) never makes ``stop`` kill a stranger.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import ServerError
from kg.neo4j_server.install import (
    ENTRY_POINT,
    ensure_initial_password,
    install,
    is_installed,
    java_executable,
    write_config,
)
from kg.neo4j_server.layout import ServerLayout
from kg.neo4j_server.probe import BoltState, bolt_state, http_ready, port_open

POLL_INTERVAL_S = 0.5
STOP_TIMEOUT_S = 60.0
KILL_TIMEOUT_S = 10.0

_JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Dfile.encoding=UTF-8",
]


@dataclass(frozen=True)
class PidRecord:
    pid: int
    home: str
    bolt_port: int
    http_port: int


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    home: Path
    bolt_port: int
    http_port: int
    bolt_reachable: bool
    http_reachable: bool
    installed: bool
    log_file: Path

    @property
    def browser_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/browser/"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True)
class StartResult:
    already_running: bool
    pid: int
    bolt_uri: str
    browser_url: str
    log_file: Path
    installed_now: bool
    seconds_to_ready: float


@dataclass(frozen=True)
class StopResult:
    was_running: bool
    pid: int | None
    killed: bool  # True when SIGTERM was not enough
    seconds: float


def java_command(layout: ServerLayout) -> list[str]:
    """Launch the entry point directly; heap flags must be given here (neo4j.conf's are ignored)."""
    classpath = ":".join([f"{layout.plugins_dir}/*", f"{layout.conf_dir}/*", f"{layout.lib_dir}/*"])
    return [
        java_executable(layout),
        f"-Xms{layout.heap}",
        f"-Xmx{layout.heap}",
        *_JVM_OPTIONS,
        "-cp",
        classpath,
        ENTRY_POINT,
        f"--home-dir={layout.home}",
        f"--config-dir={layout.conf_dir}",
        "--console-mode",
    ]


def status(layout: ServerLayout) -> ServerStatus:
    record = _running_record(layout)
    bolt_port = record.bolt_port if record else layout.bolt_port
    http_port = record.http_port if record else layout.http_port
    running = record is not None
    return ServerStatus(
        running=running,
        pid=record.pid if record else None,
        home=layout.home,
        bolt_port=bolt_port,
        http_port=http_port,
        bolt_reachable=running and port_open(bolt_port),
        http_reachable=running and http_ready(f"http://127.0.0.1:{http_port}/"),
        installed=is_installed(layout),
        log_file=layout.console_log,
    )


def start(layout: ServerLayout) -> StartResult:
    started = time.monotonic()
    record = _running_record(layout)
    if record is not None:
        return StartResult(
            already_running=True,
            pid=record.pid,
            bolt_uri=f"bolt://127.0.0.1:{record.bolt_port}",
            browser_url=f"http://127.0.0.1:{record.http_port}/browser/",
            log_file=layout.console_log,
            installed_now=False,
            seconds_to_ready=0.0,
        )
    layout.pid_file.unlink(missing_ok=True)
    for name, port in (("Bolt", layout.bolt_port), ("HTTP", layout.http_port)):
        if port_open(port):
            raise ServerError(
                f"Port {port} ({name}) is already in use by another process. Stop it, or choose other ports "
                "with KG_NEO4J_BOLT_PORT / KG_NEO4J_HTTP_PORT (and a separate KG_NEO4J_HOME)."
            )
    installed_now = False
    if not is_installed(layout):
        install(layout)
        installed_now = True
    write_config(layout)  # settings (ports, memory) may have changed since install
    ensure_initial_password(layout)  # data/ may have been deleted to start afresh
    process = _spawn(layout)
    _write_pid(layout, PidRecord(process.pid, str(layout.home), layout.bolt_port, layout.http_port))
    _wait_until_ready(layout, process, started)
    return StartResult(
        already_running=False,
        pid=process.pid,
        bolt_uri=layout.bolt_uri,
        browser_url=layout.browser_url,
        log_file=layout.console_log,
        installed_now=installed_now,
        seconds_to_ready=time.monotonic() - started,
    )


def stop(layout: ServerLayout, timeout: float = STOP_TIMEOUT_S) -> StopResult:
    started = time.monotonic()
    record = _running_record(layout)
    if record is None:
        layout.pid_file.unlink(missing_ok=True)
        return StopResult(was_running=False, pid=None, killed=False, seconds=0.0)
    _signal(record.pid, signal.SIGTERM)
    killed = False
    if not _wait_for_exit(record.pid, timeout):
        _signal(record.pid, signal.SIGKILL)
        killed = True
        if not _wait_for_exit(record.pid, KILL_TIMEOUT_S):
            raise ServerError(f"Neo4j (pid {record.pid}) did not exit even after SIGKILL.")
    layout.pid_file.unlink(missing_ok=True)
    return StopResult(was_running=True, pid=record.pid, killed=killed, seconds=time.monotonic() - started)


def _spawn(layout: ServerLayout) -> subprocess.Popen[bytes]:
    layout.logs_dir.mkdir(parents=True, exist_ok=True)
    layout.run_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, NEO4J_HOME=str(layout.home), NEO4J_CONF=str(layout.conf_dir))
    with layout.console_log.open("ab") as log:
        log.write(f"\n=== kg neo4j start {time.strftime('%Y-%m-%dT%H:%M:%S%z')} ===\n".encode())
        log.flush()
        try:
            return subprocess.Popen(
                java_command(layout),
                cwd=layout.home,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # detached: survives the CLI and its terminal
            )
        except OSError as e:
            raise ServerError(f"Could not launch Java for Neo4j: {e}") from e


def _wait_until_ready(layout: ServerLayout, process: subprocess.Popen[bytes], started: float) -> None:
    deadline = started + layout.start_timeout
    while True:
        code = process.poll()
        if code is not None:
            layout.pid_file.unlink(missing_ok=True)
            raise ServerError(
                f"Neo4j exited during start-up (exit {code}). Last lines of {layout.console_log}:\n"
                f"{_log_tail(layout.console_log)}"
            )
        if http_ready(layout.http_url):
            state = bolt_state(layout.bolt_uri, layout.user, layout.password)
            if state is BoltState.READY:
                return
            if state is BoltState.AUTH_FAILED:
                raise ServerError(
                    f"Neo4j runs (pid {process.pid}) but rejects user {layout.user!r} with "
                    f"KG_NEO4J_PASSWORD: the password was fixed at this home's first start "
                    f"({layout.home}). Use that password, or `kg neo4j stop` and delete the home's "
                    "data/ folder to start afresh."
                )
        if time.monotonic() > deadline:
            _signal(process.pid, signal.SIGTERM)
            _wait_for_exit(process.pid, STOP_TIMEOUT_S)
            layout.pid_file.unlink(missing_ok=True)
            raise ServerError(
                f"Neo4j did not answer on Bolt {layout.bolt_port} and HTTP {layout.http_port} within "
                f"{layout.start_timeout:.0f}s (KG_NEO4J_START_TIMEOUT); it was stopped. Last lines of "
                f"{layout.console_log}:\n{_log_tail(layout.console_log)}"
            )
        time.sleep(POLL_INTERVAL_S)


def _write_pid(layout: ServerLayout, record: PidRecord) -> None:
    layout.pid_file.write_text(json.dumps(record.__dict__) + "\n")


def _read_pid(layout: ServerLayout) -> PidRecord | None:
    try:
        data = json.loads(layout.pid_file.read_text())
        return PidRecord(int(data["pid"]), str(data["home"]), int(data["bolt_port"]), int(data["http_port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _running_record(layout: ServerLayout) -> PidRecord | None:
    record = _read_pid(layout)
    if record is None or not _alive(record.pid) or not _is_ours(record.pid, layout.home):
        return None
    return record


def _is_ours(pid: int, home: Path) -> bool:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    args = [a.decode(errors="replace") for a in argv]
    return ENTRY_POINT in args and f"--home-dir={home}" in args


def _alive(pid: int) -> bool:
    """Alive and not a zombie (a zombie is our own exited child that nobody reaped yet)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    if state in ("Z", "X"):
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        return False
    return True


def _wait_for_exit(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.2)
    return not _alive(pid)


def _signal(pid: int, sig: signal.Signals) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass
    except PermissionError as e:
        raise ServerError(f"Not allowed to signal Neo4j pid {pid}: {e}") from e


def _log_tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
