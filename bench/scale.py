"""Scale: a 100,000-article stream through the light path (store, story grouping, copy links).

The stream is built by resampling the text corpora under ../shared/data (DUC 2004 and 2006,
ECB+, NewsWCL50, MEANTIME, PolNeAR, TimeBank). A source group (a DUC cluster, an ECB+ event, a
single PolNeAR article...) is replayed as an event on a date of 2024 and told by 1 to 12
articles: its documents, each with a tenth of its sentences dropped, a few words swapped and one
of 60 outlets, dated up to three days after the event; past the group's documents (and for one
article in eight) an article is a near-copy of one already out (a syndicated version). Each pass
over the groups covers the next stretch of the year, so a group's replays lie weeks apart, and
each replay counts as its own event. The stream is written as JSONL files under
bench/out/scale/ (git-ignored; the data is never committed) and ingested ``--chunk`` articles at
a time into a fresh store with ``group.mode: light`` (``newsweave ingest --config light.yaml``
does the same), so every batch after the first is an incremental ingest into a store that
already holds the earlier ones.

Prints seconds per stage, per file (how time grows from 10k to 100k stored articles), the peak
RSS of the process, and the store's counts.

    .venv/bin/python bench/scale.py              # 100,000 articles, files of 10,000
    .venv/bin/python bench/scale.py --n 5000 --chunk 1000
    .venv/bin/python bench/scale.py --quality    # the light grouper's threshold sweep
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(os.environ.get("NEWSWEAVE_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "data"
OUT = ROOT / "bench" / "out" / "scale"
FILE_SIZE = 2000  # records per JSONL file (about 6 MB)
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def _jsonl(path: Path):
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def base_documents() -> list[dict]:
    """Every usable document of the local corpora: {title, text, group} (group = its event)."""
    docs = []
    for c in _jsonl(DATA / "duc2004_task2" / "clusters.jsonl"):
        for d in c["documents"]:
            docs.append({"title": None, "text": d["text"], "group": f"duc04-{c['cluster_id']}"})
    for t in _jsonl(DATA / "duc2006" / "topics.jsonl"):
        for d in t["documents"]:
            docs.append({"title": d.get("headline"), "text": d["text"],
                         "group": f"duc06-{t['topic_id']}"})
    for r in _jsonl(DATA / "ecbplus" / "documents.jsonl"):
        docs.append({"title": None, "text": r["text"], "group": f"ecb-{r['subtopic']}"})
    for r in _jsonl(DATA / "newswcl50" / "documents.jsonl"):
        docs.append({"title": None, "text": r["text"], "group": f"wcl-{r['event_id']}"})
    for r in _jsonl(DATA / "meantime_en" / "documents.jsonl"):
        docs.append({"title": None, "text": r["text"], "group": f"mt-{r['doc_id']}"})
    for split in ("train", "dev", "test"):
        for r in _jsonl(DATA / "polnear" / f"{split}.jsonl"):
            docs.append({"title": r.get("title"), "text": r["text"], "group": f"pn-{r['doc_id']}"})
    for r in _jsonl(DATA / "timebank_aquaint_tbaq" / "documents.jsonl"):
        docs.append({"title": None, "text": r["text"], "group": f"tb-{r['doc_id']}"})
    docs = [d for d in docs if len(d["text"].split()) >= 40]
    for i, d in enumerate(docs):
        d["base"] = i
    return docs


def _perturb(text: str, rng: random.Random) -> str:
    sents = _SENT.split(text.strip())
    if len(sents) > 4:
        sents = [s for i, s in enumerate(sents) if i == 0 or rng.random() > 0.1]
    out = " ".join(sents).split(" ")
    for _ in range(3):  # a few swapped words: no two resampled articles are identical
        if len(out) > 10:
            i = rng.randrange(1, len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)


def build_stream(n: int, chunk: int, seed: int = 2024, out: Path = OUT,
                 file_size: int = FILE_SIZE) -> list[list[Path]]:
    """Write the stream as JSONL files in date order; return them in ingest batches of
    ``chunk`` articles (a batch is a list of files of ``file_size`` records at most, well under
    the reader's 20 MB input limit)."""
    rng = random.Random(seed)
    groups: dict[str, list[dict]] = {}
    for d in base_documents():
        groups.setdefault(d["group"], []).append(d)
    names = sorted(groups)
    outlets = [f"Outlet {i:02d}" for i in range(60)]
    start = date(2024, 1, 1)
    sizes = {g: rng.randint(1, min(12, 2 * len(groups[g]) + 1)) for g in names}
    mean = sum(sizes.values()) / len(sizes)
    passes = max(1, -(-n // int(mean * len(names))))
    # A group is replayed once per pass, always at the same offset inside the pass's stretch of
    # the year, so its replays lie `seg` days apart (14 at 100k), beyond the grouping window:
    # replaying the same documents within a week would be one story, not two events.
    seg = 362 // passes
    offset = {g: rng.randrange(seg) for g in names}
    records: list[dict] = []
    instance = 0
    for p in range(passes):
        order = names[:]
        rng.shuffle(order)
        for g in order:
            if len(records) >= n:
                break
            # One event: the group told by 1-12 articles (its documents first, then
            # syndicated near-copies of them).
            docs = groups[g][:]
            rng.shuffle(docs)
            k = rng.randint(1, min(12, 2 * len(docs) + 1))
            day = start + timedelta(days=p * seg + offset[g])
            emitted: list[dict] = []
            for j in range(min(k, n - len(records))):
                if j >= len(docs) or (emitted and rng.random() < 0.125):
                    src = rng.choice(emitted)  # a near-copy of one of this event's articles
                else:
                    src = docs[j]
                rec = {"id": f"x{len(records):06d}", "text": _perturb(src["text"], rng),
                       "title": src["title"], "source": rng.choice(outlets),
                       "published": (day + timedelta(days=rng.randrange(4))).isoformat(),
                       "event": f"{g}#{instance}", "base": src["base"]}
                emitted.append(rec)
                records.append(rec)
            instance += 1
    records.sort(key=lambda r: (r["published"], r["id"]))
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("part-*.jsonl"):
        old.unlink()
    batches: list[list[Path]] = []
    for b in range(0, n, chunk):
        batch = []
        for k in range(b, min(b + chunk, n), file_size):
            p = out / f"part-{sum(map(len, batches)) + len(batch):04d}.jsonl"
            with p.open("w", encoding="utf-8") as fh:
                for r in records[k:min(k + file_size, b + chunk, n)]:
                    fh.write(json.dumps(r) + "\n")
            batch.append(p)
        batches.append(batch)
    return batches


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def cpu_s() -> float:
    """CPU seconds of this process (user + system): on a shared machine the wall clock also
    counts the time other jobs hold the cores."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def light_pipeline(workdir: Path):
    from newsweave.config import load_config
    from newsweave.pipeline import Pipeline

    cfg = workdir / "light.yaml"
    cfg.write_text("group:\n  mode: light\n", "utf-8")
    return Pipeline(config=load_config(str(cfg)))


def run(n: int, chunk: int, seed: int = 2024, out: Path = OUT, quiet: bool = False) -> dict:
    """Build the stream, ingest it batch by batch; return the figures."""
    from newsweave.store import Store, ingest

    t0 = time.perf_counter()
    batches = build_stream(n, chunk, seed, out=out)
    build_s = time.perf_counter() - t0
    db = out / "scale.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    pipeline = light_pipeline(out)
    t0 = time.perf_counter()
    pipeline.warm_up()
    warm_s = time.perf_counter() - t0
    totals: dict[str, float] = {}
    files = []
    cpu_start = cpu_s()
    with Store(db) as st:
        for batch in batches:
            t0, cpu0 = time.perf_counter(), cpu_s()
            res = ingest(st, [str(p) for p in batch], pipeline)
            wall = time.perf_counter() - t0
            for k, v in res.seconds.items():
                totals[k] = totals.get(k, 0.0) + v
            row = {"file": batch[0].name, "stored": st.count("articles"), "seconds": wall,
                   "cpu_s": cpu_s() - cpu0, "load": os.getloadavg()[0],
                   "steps": res.seconds, "stories": res.stories, "rss_mb": peak_rss_mb()}
            files.append(row)
            if not quiet:
                print(f"{row['file']}: {row['stored']:>7} stored  {wall:6.1f} s  "
                      + "  ".join(f"{k} {v:.1f}" for k, v in res.seconds.items())
                      + f"  stories {res.stories}  peak RSS {row['rss_mb']:.0f} MB  CPU "
                      f"{row['cpu_s']:.1f} s  load {row['load']:.1f}", flush=True)
        counts = {t: st.count(t) for t in ("articles", "stories", "copy_links", "story_events")}
        merges = st.db.execute("SELECT COUNT(*) FROM story_events WHERE kind = 'merge'").fetchone()[0]
        sizes = [r[0] for r in st.db.execute("SELECT n_articles FROM stories")]
        placed = dict(st.db.execute("SELECT article_id, story_id FROM story_articles"))
        links = [(a, b) for a, b in st.db.execute("SELECT a, b FROM copy_links")]
    truth = {}
    for batch in batches:
        for p in batch:
            for line in p.open(encoding="utf-8"):
                r = json.loads(line)
                truth[r["id"]] = (r["event"], r["base"])
    quality = _quality(placed, links, truth)
    return {"n": n, "chunk": chunk, "build_s": build_s, "warm_s": warm_s, "totals": totals,
            "ingest_s": sum(f["seconds"] for f in files), "files": files, "counts": counts,
            "ingest_cpu_s": cpu_s() - cpu_start,
            "merges": merges, "peak_rss_mb": peak_rss_mb(),
            "largest_story": max(sizes) if sizes else 0,
            "singletons": sum(1 for s in sizes if s == 1),
            "events": len({e for e, _b in truth.values()}), **quality}


def _quality(placed: dict, links: list, truth: dict) -> dict:
    """Stories against the stream's events (BCubed), copy links against same-source pairs."""
    sys.path.insert(0, str(ROOT / "bench"))
    from cluster import bcubed

    p, r, f = bcubed(placed, {a: e for a, (e, _b) in truth.items()})
    same = {tuple(sorted((a, b))) for a, b in links}
    good = sum(1 for a, b in same if truth[a][1] == truth[b][1])
    # every pair of one event's articles made from one source document should be linked
    by_key: dict = {}
    for a, (e, b) in truth.items():
        by_key.setdefault((e, b), []).append(a)
    wanted = {tuple(sorted((x, y))) for ids in by_key.values() for i, x in enumerate(ids)
              for y in ids[i + 1:]}
    return {"bcubed": {"p": p, "r": r, "f1": f},
            "copies": {"links": len(same), "precision": good / len(same) if same else 1.0,
                       "recall": len(wanted & same) / len(wanted) if wanted else 1.0,
                       "pairs": len(wanted)}}


def quality(thresholds=(0.24, 0.28, 0.32, 0.36, 0.40, 0.44)) -> None:
    """The light grouper on bench/cluster.py's sets: dev (DUC 2004, MEANTIME) and test (ECB+
    subtopics, NewsWCL50), one line per threshold, BCubed F1 and clusters."""
    sys.path.insert(0, str(ROOT / "bench"))
    import cluster as C

    from newsweave.group.stories_light import LightGrouper

    ecb, sub, _top = C.load_ecb()
    sets = {"DUC": C.load_duc(), "MEANTIME": C.load_meantime(), "ECB+": (ecb, sub),
            "WCL": C.load_wcl()}
    print("threshold  " + "  ".join(f"{k:>16}" for k in sets) + "  dev mean")
    for th in thresholds:
        cells, dev = [], []
        for name, (arts, gold) in sets.items():
            sc = C.scores(dict(LightGrouper(threshold=th).add(arts)), gold)
            cells.append(f"{sc['f1']:.3f} ({sc['clusters']:>4})")
            if name in ("DUC", "MEANTIME"):
                dev.append(sc["f1"])
        print(f"{th:9.2f}  " + "  ".join(f"{c:>16}" for c in cells)
              + f"  {sum(dev) / 2:8.3f}", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles in the stream")
    ap.add_argument("--chunk", type=int, default=10_000, help="articles per ingested file")
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--out", type=Path, default=OUT, help="folder for the stream and the store")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--quality", action="store_true",
                    help="only the light grouper's threshold sweep on DUC/MEANTIME/ECB+/NewsWCL50")
    args = ap.parse_args(argv)
    if args.quality:
        quality()
        return
    res = run(args.n, args.chunk, args.seed, out=args.out, quiet=args.json)
    if args.json:
        print(json.dumps(res))
        return
    print()
    print(f"stream: {res['n']} articles from {res['events']} source events, built in "
          f"{res['build_s']:.1f} s; models loaded in {res['warm_s']:.1f} s")
    print("seconds per stage (all files): "
          + ", ".join(f"{k} {v:.1f}" for k, v in res["totals"].items())
          + f"; ingest total {res['ingest_s']:.1f} s wall, {res['ingest_cpu_s']:.1f} s CPU")
    print(f"peak RSS {res['peak_rss_mb']:.0f} MB")
    print(f"store: {res['counts']}; merges {res['merges']}; largest story "
          f"{res['largest_story']}; single-article stories {res['singletons']}")
    b, c = res["bcubed"], res["copies"]
    print(f"stories vs the stream's events: BCubed P {b['p']:.3f} R {b['r']:.3f} F1 {b['f1']:.3f}")
    print(f"copy links: {c['links']}, precision {c['precision']:.3f} (same source document), "
          f"recall {c['recall']:.3f} of {c['pairs']} same-event same-source pairs")
    first = res["files"][0]["seconds"]
    print("time per file as the store grows: "
          + ", ".join(f"{f['stored']}: {f['seconds']:.1f} s" for f in res["files"])
          + f" (last/first {res['files'][-1]['seconds'] / max(first, 1e-9):.2f})")


if __name__ == "__main__":
    main()
