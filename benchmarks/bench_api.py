"""Throughput and latency of the HTTP API against the same Cypher through the driver directly.

    KG_NEO4J_BOLT_PORT=7689 .venv/bin/python benchmarks/bench_api.py [--seconds 5] [--workers 2]

For ``GET /v1/entities/{id}/relations`` and ``GET /v1/subgraph`` (depth 1), at concurrency 1, 16
and 64, in one run:

- **api**: ``kg serve`` (uvicorn, ``api.main:create_app``) in a subprocess, loopback, driven by an
  httpx async client with that many requests in flight;
- **direct**: the Cypher the Neo4j store runs for that request (same statements, same parameters;
  for the subgraph the same four statements in sequence), sent through the Neo4j driver in READ
  transactions with that many in flight (``--direct sync``: the sync driver from a thread pool, the
  way the API uses it; ``--direct async``: the asyncio driver).

Prints requests/s, p50 and p99 latency (ms) and the ratio api/direct (target >= 0.5). Needs a
running Neo4j (``kg neo4j start``); ingests ``examples/articles`` first when the graph is empty.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import httpx
import neo4j

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.settings import Settings, get_settings  # noqa: E402
from kg.store import queries as Q  # noqa: E402
from kg.vocabulary import get_vocabulary  # noqa: E402

CONCURRENCY = (1, 16, 64)


@dataclass
class Result:
    requests: int
    seconds: float
    latencies: list[float]
    calls: int = 0  # every completed call, warm-up included (to normalise CPU time)
    cpu: float = 0.0  # CPU seconds spent (client process, plus the API server for api cells)

    @property
    def cpu_ms_per_call(self) -> float:
        return self.cpu / self.calls * 1000 if self.calls else float("nan")

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


Call = Callable[[], Awaitable[None]]


async def drive(call: Call, concurrency: int, seconds: float, warmup: float) -> Result:
    """Keep ``concurrency`` calls in flight; count the calls that complete inside the measured window.

    Latency is recorded for every call completing in the window (also those started in the warm-up),
    so slow cells still report.
    """
    latencies: list[float] = []
    calls = 0
    start = time.perf_counter()
    measure_from = start + warmup
    stop_at = measure_from + seconds

    async def worker() -> None:
        nonlocal calls
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at:
                return
            await call()
            calls += 1
            t1 = time.perf_counter()
            if measure_from <= t1 <= stop_at:
                latencies.append(t1 - t0)

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return Result(len(latencies), seconds, latencies, calls)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children (the uvicorn workers), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                todo.extend(int(c) for c in children)
        except (OSError, IndexError, ValueError):
            continue
    return total


async def compare(
    api: Call, direct: Call, concurrency: int, seconds: float, warmup: float, rounds: int, server_pid: int
) -> tuple[Result, Result]:
    """Alternate api and direct slices, so background load on the machine hits both alike."""
    a = Result(0, 0.0, [])
    d = Result(0, 0.0, [])
    for i in range(rounds):
        w = warmup if i == 0 else min(warmup, 0.3)
        for total, call in ((a, api), (d, direct)):
            client0, server0 = time.process_time(), process_tree_cpu(server_pid)
            r = await drive(call, concurrency, seconds / rounds, w)
            total.cpu += time.process_time() - client0
            if total is a:
                total.cpu += process_tree_cpu(server_pid) - server0
            total.requests += r.requests
            total.seconds += r.seconds
            total.latencies += r.latencies
            total.calls += r.calls
    return a, d


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ensure_graph(settings: Settings) -> None:
    from kg.store.factory import open_store

    store = open_store(settings)
    try:
        if store.stats().entities:
            return
        from kg.extract import Extractor
        from loaders.text import load_text_file

        print("graph is empty: ingesting examples/articles ...", flush=True)
        store.apply_schema()
        extractor = Extractor()
        for path in sorted((ROOT / "examples" / "articles").glob("*.txt")):
            store.write_article(extractor.extract(load_text_file(path)))
    finally:
        store.close()


def pick_center(driver: neo4j.Driver, database: str) -> str:
    records, _, _ = driver.execute_query(
        "MATCH (e:Entity)-[r]-(:Entity) RETURN e.id AS id, count(r) AS n ORDER BY n DESC, id LIMIT 1",
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    if not records:
        raise SystemExit("the graph has no relationships; ingest articles first (kg ingest ...)")
    return str(records[0]["id"])


def start_api(settings: Settings, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        {
            "KG_STORE": "neo4j",
            "KG_NEO4J_URI": settings.bolt_uri,
            "KG_NEO4J_USER": settings.neo4j_user,
            "KG_NEO4J_PASSWORD": settings.neo4j_password,
            "KG_NEO4J_DATABASE": settings.neo4j_database,
        }
    )
    env.pop("KG_API_KEY", None)
    env.pop("KG_API_READ_KEY", None)
    # `kg serve`: uvicorn running api.main:create_app (factory) with the project's HTTP protocol.
    cmd = [
        sys.executable, "-c", "from kg.cli import main; main()", "serve",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}")
        time.sleep(0.3)
    proc.terminate()
    raise SystemExit("the API did not become healthy within 90 s")


async def run(args: argparse.Namespace) -> None:
    settings = get_settings().model_copy(update={"store": "neo4j"})
    ensure_graph(settings)
    auth = (settings.neo4j_user, settings.neo4j_password)
    db = settings.neo4j_database
    with neo4j.GraphDatabase.driver(settings.bolt_uri, auth=auth) as sync_driver:
        center = pick_center(sync_driver, db)
    symmetric = sorted(n for n, r in get_vocabulary().relations.items() if r.symmetric)

    # --- the Cypher the store runs for each endpoint ------------------------------------------
    rel_query = Q.find_facts(None, anchored=True)
    rel_params: dict[str, Any] = {
        "anchor": center, "subject": None, "object": None, "entity": center, "direction": "both",
        "since": None, "until": None, "negated": None, "symmetric": symmetric, "limit": 101, "offset": 0,
    }  # fmt: skip

    adriver = neo4j.AsyncGraphDatabase.driver(settings.bolt_uri, auth=auth, max_connection_pool_size=128)
    sdriver = neo4j.GraphDatabase.driver(settings.bolt_uri, auth=auth, max_connection_pool_size=128)
    pool = ThreadPoolExecutor(max_workers=max(CONCURRENCY))
    loop = asyncio.get_running_loop()

    async def read(query: str, **params: Any) -> list[neo4j.Record]:
        if args.direct == "async":
            records, _, _ = await adriver.execute_query(
                query, params, database_=db, routing_=neo4j.RoutingControl.READ
            )
            return list(records)
        return await loop.run_in_executor(pool, partial(sync_read, query, params))

    def sync_read(query: str, params: dict[str, Any]) -> list[neo4j.Record]:
        records, _, _ = sdriver.execute_query(query, params, database_=db, routing_=neo4j.RoutingControl.READ)
        return list(records)

    async def direct_relations() -> None:
        await read(rel_query, **rel_params)

    async def direct_subgraph() -> None:
        await read(Q.ENTITY_EXISTS, id=center)
        found = sorted(r["id"] for r in await read(Q.neighbours(None), ids=[center]))
        ids = [center, *[i for i in found if i != center]][:200]
        await read(Q.GET_ENTITIES, ids=ids)
        await read(Q.edges_among(None), ids=ids)

    port = free_port()
    proc = start_api(settings, port, args.workers)
    limits = httpx.Limits(max_connections=128, max_keepalive_connections=128)
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=60)
    rel_path = f"/v1/entities/{center}/relations"

    async def api_relations() -> None:
        r = await client.get(rel_path)
        r.raise_for_status()

    async def api_subgraph() -> None:
        r = await client.get("/v1/subgraph", params={"center": center, "depth": 1})
        r.raise_for_status()

    print(
        f"center={center}  direct={args.direct}  api workers={args.workers}  "
        f"{args.seconds:g}s per cell in {args.rounds} alternating rounds (+{args.warmup:g}s warm-up)  "
        f"cpus={os.cpu_count()}  neo4j={settings.bolt_uri}",
        flush=True,
    )
    header = f"{'endpoint':<34}{'conc':>5} | {'api req/s':>10}{'p50 ms':>8}{'p99 ms':>8} | " \
             f"{'direct req/s':>12}{'p50 ms':>8}{'p99 ms':>8} | {'ratio':>6}"  # fmt: skip
    print(header)
    print("-" * len(header))
    ratios: list[float] = []
    cpu_rows: list[tuple[str, int, float, float]] = []
    try:
        for name, api_call, direct_call in (
            ("/v1/entities/{id}/relations", api_relations, direct_relations),
            ("/v1/subgraph?depth=1", api_subgraph, direct_subgraph),
        ):
            for conc in CONCURRENCY:
                a, d = await compare(
                    api_call, direct_call, conc, args.seconds, args.warmup, args.rounds, proc.pid
                )
                cpu_rows.append((name, conc, a.cpu_ms_per_call, d.cpu_ms_per_call))
                ratio = a.rps / d.rps if d.rps else float("nan")
                ratios.append(ratio)
                print(
                    f"{name:<34}{conc:>5} | {a.rps:>10.0f}{a.pct(50):>8.1f}{a.pct(99):>8.1f} | "
                    f"{d.rps:>12.0f}{d.pct(50):>8.1f}{d.pct(99):>8.1f} | {ratio:>6.2f}",
                    flush=True,
                )
    finally:
        await client.aclose()
        await adriver.close()
        sdriver.close()
        pool.shutdown()
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    print("\nCPU per request (ms; api = bench client + uvicorn workers, direct = bench process):")
    for name, conc, api_cpu, direct_cpu in cpu_rows:
        print(f"  {name:<34}{conc:>5}   api {api_cpu:6.2f}   direct {direct_cpu:6.2f}")
    worst = min(ratios)
    print(
        f"\nratio api/direct: min {worst:.2f}, median {statistics.median(ratios):.2f} "
        f"(target >= 0.5: {'met' if worst >= 0.5 else 'NOT met'} in every cell)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="measured seconds per cell")
    parser.add_argument("--warmup", type=float, default=1.0, help="warm-up seconds per cell")
    parser.add_argument(
        "--direct",
        choices=["sync", "async"],
        default="sync",
        help="direct baseline: sync driver in a thread pool (how the API uses it) or the async driver",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating api/direct slices per cell")
    parser.add_argument(
        "--workers", type=int, default=max(1, min(4, os.cpu_count() or 1)), help="uvicorn workers (kg serve)"
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
