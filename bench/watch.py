"""`newsweave watch` on loopback: pages fetched, extracted and stored per second with 1 and 4
hosts (each host a local server on its own port, serving one feed), beside `ingest` of the same
pages from files, in the same run.

    python bench/watch.py                 # 48 pages
    python bench/watch.py --pages 96 --delay 0

``--delay`` is the per-host delay (watch.host_delay_s; loopback has no one to be polite to, so 0
by default here; the shipped default is 1 s, which alone bounds one host at 1 page/s). Fetch
seconds are the poll's wall time minus the time spent in ingest.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from newsweave import Pipeline  # noqa: E402
from newsweave.feeds import watch as watch_mod  # noqa: E402
from newsweave.feeds.fetch import Fetcher, Politeness  # noqa: E402
from newsweave.feeds.watch import Watcher  # noqa: E402
from newsweave.store import Store, ingest  # noqa: E402
from tests.feed_server import FeedSite, page_html, rss, serving  # noqa: E402


def _sites(hosts: int, pages: int) -> list[FeedSite]:
    sites = [FeedSite() for _ in range(hosts)]
    for s in sites:
        s.set("/robots.txt", "User-agent: *\nAllow: /\n", "text/plain")
    return sites


def run(hosts: int, pages: int, delay: float, pipeline: Pipeline) -> dict:
    sites = _sites(hosts, pages)
    with contextlib.ExitStack() as stack:
        bases = [stack.enter_context(serving(s)) for s in sites]
        for h, (s, base) in enumerate(zip(sites, bases)):
            mine = range(h, pages, hosts)
            for n in mine:
                s.set(f"/p{n}.html", page_html(h, n))
            s.set("/feed.xml", rss(h, [(f"{base}/p{n}.html", f"Report {n}", None) for n in mine]),
                  "application/rss+xml")
        tmp = stack.enter_context(tempfile.TemporaryDirectory())
        spent = {"ingest": 0.0}
        real = watch_mod.ingest

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent["ingest"] += time.perf_counter() - t0
        watch_mod.ingest = timed
        try:
            with Store(Path(tmp) / "w.db") as store, \
                    Fetcher(Politeness(host_delay_s=delay, concurrency=4)) as fetcher:
                res = Watcher(store, pipeline, fetcher).poll([f"{b}/feed.xml" for b in bases])
        finally:
            watch_mod.ingest = real
        assert len(res.new) == pages and not res.problems, (res.line(), res.problems)
        # the same pages as files, through `ingest`
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for h in range(hosts):
            for n in range(h, pages, hosts):
                (folder / f"h{h}-p{n}.html").write_text(page_html(h, n), encoding="utf-8")
        t0 = time.perf_counter()
        with Store(Path(tmp) / "f.db") as store:
            out = ingest(store, [str(folder)], pipeline)
        files_s = time.perf_counter() - t0
        assert len(out.added) == pages
    return {"hosts": hosts, "pages": pages, "poll_s": res.seconds, "ingest_in_poll_s": spent["ingest"],
            "fetch_s": res.seconds - spent["ingest"], "files_s": files_s}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=48)
    ap.add_argument("--delay", type=float, default=0.0)
    args = ap.parse_args()
    pipeline = Pipeline()
    pipeline.warm_up()
    print(f"{'hosts':>5} {'pages':>5} {'watch s':>8} {'pages/s':>8} {'fetch s':>8} "
          f"{'fetch pages/s':>13} {'ingest files s':>14} {'pages/s':>8}")
    run(1, 8, args.delay, pipeline)  # warm: the first batches of spaCy and MiniLM are slower
    for hosts in (1, 4):
        r = run(hosts, args.pages, args.delay, pipeline)
        print(f"{r['hosts']:5d} {r['pages']:5d} {r['poll_s']:8.1f} {r['pages'] / r['poll_s']:8.2f} "
              f"{r['fetch_s']:8.2f} {r['pages'] / max(r['fetch_s'], 1e-9):13.1f} "
              f"{r['files_s']:14.1f} {r['pages'] / r['files_s']:8.2f}", flush=True)


if __name__ == "__main__":
    main()
