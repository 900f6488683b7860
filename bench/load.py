"""Load test of the web app on loopback: N concurrent clients for a bounded time (at most 60 s)
against the story list, a story page and search; prints p50, p99 and the error count.

    .venv/bin/python bench/load.py                       # store built from examples/cluster
    .venv/bin/python bench/load.py --db corpus.db --clients 50 --seconds 30

The server is ``newsweave serve`` in a subprocess on a free 127.0.0.1 port; the clients are
asyncio tasks in this process, one keep-alive connection each (a minimal HTTP/1.1 client by default,
``--client httpx`` for httpx.AsyncClient); client and server share the machine's cores, so the
figures include the client's own overhead. Target (issue 7): 0 errors,
p99 < 200 ms with 50 clients. Traffic goes to 127.0.0.1 only, and every loop stops at the deadline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

MAX_SECONDS = 60
QUERIES = ["Caldera", "Voss shelter", "firefighters engines", "VEPA air quality", "Marcus Feld",
           "explosion quay", "nothing-matches-this"]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q / 100 * len(s) + 0.5) - 1))]


class _Conn:
    """A minimal HTTP/1.1 keep-alive client (GET only, Content-Length bodies): httpx costs the
    client several times the CPU of the server's work, which on a 2-core machine would be
    measured as server latency. ``--client httpx`` uses httpx instead."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        await self.reader.readexactly(length)
        return status

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def _client(base: str, paths: list[str], offset: int, deadline: float, out: dict,
                  kind_of_client: str) -> None:
    u = httpx.URL(base)
    if kind_of_client == "httpx":
        client = httpx.AsyncClient(base_url=base, timeout=10, limits=httpx.Limits(max_connections=1))

        async def get(path):
            r = await client.get(path)
            return r.status_code
    else:
        client = _Conn(u.host, u.port)

        async def get(path):
            return await asyncio.wait_for(client.get(path), 10)
    try:
        i = offset
        while time.monotonic() < deadline:
            path = paths[i % len(paths)]
            kind = path.split("?")[0].split("/")[1] or "list"
            i += 1
            t0 = time.perf_counter()
            try:
                ok = await get(path) == 200
            except (OSError, TimeoutError, asyncio.IncompleteReadError, httpx.HTTPError,
                    ValueError, IndexError):
                ok = False
                if kind_of_client != "httpx":
                    await client.close()
                    client = _Conn(u.host, u.port)
            out["latency"].setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
            if not ok:
                out["errors"] += 1
    finally:
        await (client.aclose() if kind_of_client == "httpx" else client.close())


async def run_load(base: str, paths: list[str], clients: int, seconds: float,
                   client: str = "raw") -> dict:
    """``clients`` concurrent loops over ``paths`` for ``seconds``; latencies in ms by page kind."""
    seconds = min(seconds, MAX_SECONDS)
    out: dict = {"latency": {}, "errors": 0}
    t0 = time.monotonic()
    deadline = t0 + seconds
    await asyncio.gather(*[_client(base, paths, k, deadline, out, client) for k in range(clients)])
    wall = time.monotonic() - t0
    every = [ms for v in out["latency"].values() for ms in v]
    return {
        "clients": clients, "client": client, "seconds": round(wall, 1), "requests": len(every),
        "rps": round(len(every) / wall, 1), "errors": out["errors"],
        "p50_ms": round(percentile(every, 50), 1), "p99_ms": round(percentile(every, 99), 1),
        "by_page": {k: {"n": len(v), "p50_ms": round(statistics.median(v), 1),
                        "p99_ms": round(percentile(v, 99), 1)} for k, v in out["latency"].items()},
    }


def target_paths(base: str) -> list[str]:
    """The story list, the first story's page, and searches, in equal turns."""
    stories = httpx.get(base + "/api/stories").json()["stories"]
    if not stories:
        raise SystemExit("the store has no stories")
    story = f"/stories/{stories[0]['id']}"
    paths = []
    for q in QUERIES:
        paths += ["/", story, "/search?" + httpx.QueryParams({"q": q}).__str__()]
    return paths


def build_store(db: Path) -> None:
    from newsweave import Pipeline
    from newsweave.store import Store, ingest

    with Store(db) as store:
        ingest(store, [str(ROOT / "examples" / "cluster")], Pipeline())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="store to serve (default: built from examples/cluster)")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30, help=f"at most {MAX_SECONDS}")
    ap.add_argument("--warmup", type=float, default=2, help="seconds of load before measuring")
    ap.add_argument("--client", choices=["raw", "httpx"], default="raw",
                    help="raw: a minimal keep-alive client (default); httpx: httpx.AsyncClient")
    ap.add_argument("--json", action="store_true", help="print only the JSON figures")
    args = ap.parse_args(argv)
    sys.path.insert(0, str(ROOT / "tests"))  # web_server.py starts and stops the server as in tests
    from web_server import running_server

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="newsweave-load-") as tmp:
        db = Path(args.db) if args.db else Path(tmp) / "corpus.db"
        if not db.exists():
            print(f"building {db} from examples/cluster...", file=sys.stderr)
            build_store(db)
        with running_server(db, Path(tmp) / "server.log", token=None) as base:
            paths = target_paths(base)
            if args.warmup:
                asyncio.run(run_load(base, paths, args.clients, args.warmup, args.client))
            res = asyncio.run(run_load(base, paths, args.clients, args.seconds, args.client))
    res["target"] = {"errors": 0, "p99_ms_below": 200}
    res["met"] = res["errors"] == 0 and res["p99_ms"] < 200
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{res['clients']} {res['client']} clients, {res['seconds']} s: {res['requests']} requests "
              f"({res['rps']}/s), p50 {res['p50_ms']} ms, p99 {res['p99_ms']} ms, "
              f"errors {res['errors']} -> target {'met' if res['met'] else 'NOT met'}")
        for kind, f in res["by_page"].items():
            print(f"  {kind:8} n={f['n']:<6} p50 {f['p50_ms']} ms  p99 {f['p99_ms']} ms")
    return 0 if res["met"] else 1


if __name__ == "__main__":
    sys.exit(main())
