"""What one story's corpus stages cost: the first N records of a JSONL file analyzed as one story
(``group.mode: single``), seconds per stage.

    python bench/story_cost.py FILE.jsonl N [N ...]

Prints one JSON line per N: articles kept, facts, multi-source facts, seconds per stage. Figures:
bench/RESULTS.md, "Claims" (cost of one large story).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from newsweave.config import load_config  # noqa: E402
from newsweave.nlp.embed import memo  # noqa: E402
from newsweave.pipeline import Pipeline  # noqa: E402
from newsweave.stage import Corpus  # noqa: E402


def run(path: Path, n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "single.yaml"
        cfg.write_text("group:\n  mode: single\n", "utf-8")
        part = Path(tmp) / "part.jsonl"
        with path.open(encoding="utf-8") as fh:
            part.write_text("".join(line for _, line in zip(range(n), fh)), "utf-8")
        pipe = Pipeline(config=load_config(str(cfg)))
        pipe.warm_up()
        t0 = time.perf_counter()
        arts, _problems, _inputs = pipe.articles([str(part)])
        secs = {"article stages": round(time.perf_counter() - t0, 1)}
        corpus = Corpus(tuple(arts))
        with memo():  # as the story runner does: each distinct text embedded once per story
            for st in pipe.corpus_stages:
                t = time.perf_counter()
                corpus = st.process(corpus)
                secs[st.name] = round(time.perf_counter() - t, 1)
    facts = corpus.stories[0].facts if corpus.stories else ()
    return {"records": n, "articles": len(arts), "facts": len(facts),
            "multi_source_facts": sum(f.independent_sources >= 2 for f in facts),
            "seconds": secs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path)
    ap.add_argument("sizes", type=int, nargs="+")
    args = ap.parse_args()
    for n in args.sizes:
        print(json.dumps(run(args.file, n)), flush=True)


if __name__ == "__main__":
    main()
