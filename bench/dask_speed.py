"""The full analysis in one process against a Dask LocalCluster, on resampled news streams.

    python bench/dask_speed.py                          # 1,000 and 2,000 articles, 2 workers
    python bench/dask_speed.py --sizes 1000,10000 --workers 2
    python bench/dask_speed.py --sizes 200 --only dask  # the LocalCluster run alone

For each size, a stream of that many articles is built by ``bench/scale.py``'s resampler (events
from DUC 2004/2006, ECB+, NewsWCL50, MEANTIME, PolNeAR and TimeBank replayed over a year, with
syndicated near-copies) and analysed with ``group.mode: events`` (one story per event, so
cross-checking works per story), first in this process (``--scheduler local``), then on a Dask
LocalCluster of ``--workers`` one-thread worker processes (``--scheduler processes``; cluster
start and model loading included). Printed per run: wall seconds for reading+cleaning, article
stages, corpus stages, the whole; peak RSS of this process (the report streamed to a file, as
``newsweave analyze -o`` writes it) and of each worker; and whether the reports are identical
(SHA-256 of the JSON report).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _worker_rss_mb() -> float:
    """A worker's peak RSS. Not getrusage: ru_maxrss survives fork+exec, so a spawned worker
    would report its parent's peak; VmHWM belongs to the worker's own address space."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def analyse(files: list[Path], executor=None, save: Path | None = None) -> dict:
    """One full run over ``files``, timed by phase; returns figures and the report's hash."""
    from newsweave.config import load_config
    from newsweave.pipeline import Pipeline, build_report
    from newsweave.render import write_json

    config = load_config(group__mode="events", limits__max_articles=1_000_000)
    t0 = time.perf_counter()
    pipe = Pipeline(config=config, executor=executor)
    paths = [str(f) for f in files]
    raws, problems, inputs = pipe.read(paths)
    cleaner = pipe.cleaner_for(raws)
    cleaned = []
    for raw in raws:
        out = pipe.clean_raw(raw, cleaner)
        (problems if not hasattr(out, "sentences") else cleaned).append(out)
    t1 = time.perf_counter()
    articles = pipe.process_articles(cleaned)
    del raws, cleaned  # Pipeline.run, as `analyze` runs it, keeps only the processed articles
    t2 = time.perf_counter()
    corpus = pipe.run_corpus(articles)
    t3 = time.perf_counter()
    # streamed to a file as `newsweave analyze -o` writes it, then hashed from the file
    report = save or Path(tempfile.mkstemp(suffix=".json")[1])
    with report.open("w", encoding="utf-8") as fh:
        write_json(build_report(corpus, problems, inputs), fh)
    with report.open("rb") as fh:
        digest = hashlib.file_digest(fh, "sha256").hexdigest()[:16]
    if save is None:
        report.unlink()
    res = {"articles": len(articles), "stories": len(corpus.stories),
           "read_clean_s": round(t1 - t0, 1), "article_stages_s": round(t2 - t1, 1),
           "corpus_stages_s": round(t3 - t2, 1), "total_s": round(t3 - t0, 1),
           "report_sha256": digest,
           "rss_mb": round(_rss_mb())}
    if executor is not None and hasattr(executor, "client"):
        res["worker_rss_mb"] = [round(v) for v in executor.client.run(_worker_rss_mb).values()]
    return res


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,2000", help="stream sizes, comma-separated")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--only", choices=["local", "dask", "both"], default="both")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--save", type=Path, help="write each run's report here (folder)")
    args = ap.parse_args(argv)
    from scale import build_stream  # bench/scale.py

    from newsweave.scale import DaskExecutor

    results = []
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            files = [p for batch in build_stream(n, chunk=n, seed=args.seed, out=Path(tmp))
                     for p in batch]
            row = {"n": n}
            if args.only in ("local", "both"):
                row["local"] = analyse(files, save=args.save and args.save / f"{n}-local.json")
                print(f"{n:>6} local   {json.dumps(row['local'])}", flush=True)
            if args.only in ("dask", "both"):
                w0 = time.perf_counter()
                with DaskExecutor(workers=args.workers) as ex:
                    row["dask"] = analyse(files, ex, save=args.save and args.save / f"{n}-dask.json")
                row["dask"]["with_cluster_start_s"] = round(time.perf_counter() - w0, 1)
                print(f"{n:>6} dask x{args.workers} {json.dumps(row['dask'])}", flush=True)
            if "local" in row and "dask" in row:
                row["speedup"] = round(row["local"]["total_s"] / row["dask"]["with_cluster_start_s"], 2)
                row["identical"] = row["local"]["report_sha256"] == row["dask"]["report_sha256"]
                print(f"{n:>6} speedup {row['speedup']}x (cluster start included), identical "
                      f"reports: {row['identical']}", flush=True)
            results.append(row)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":  # the guard Dask's worker processes need
    raise SystemExit(main())
