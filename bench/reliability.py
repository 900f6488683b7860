"""Reliability figures (issue #9): the bad-input corpus through `newsweave analyze`, and what one
run's corpus stages cost as the run grows.

    python bench/reliability.py corpus [--full] [--config FILE]
        writes tests/badinput/make_corpus.py's corpus to a temporary folder, analyzes it with the
        CLI, and prints inputs, articles, problems by kind, lost inputs and the exit code
    python bench/reliability.py stages N [N ...] [--config FILE]
        N one-line articles (the corpus's many_articles.jsonl) through the default pipeline,
        seconds per stage

Figures and the commands that produced them: bench/RESULTS.md, "Reliability (#9)".
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.badinput.make_corpus import make_corpus  # noqa: E402


def corpus(full: bool, config: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "bad"
        manifest = make_corpus(dest, full=full, many_lines=10_000 if full else 40)
        out = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "newsweave.cli", "analyze", str(dest), "-o", str(out), "-q"]
        cmd += ["--config", config] if config else []
        t0 = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.monotonic() - t0
        data = json.loads(out.read_text("utf-8")) if out.exists() else {}
    problems = [p for p in data.get("problems", []) if p["kind"] != "warning"]
    articles = len(data.get("articles", []))
    return {"files": len(manifest), "exit_code": proc.returncode, "seconds": round(seconds),
            "inputs": data.get("inputs"), "articles": articles, "problems": len(problems),
            "lost": (data.get("inputs") or 0) - articles - len(problems),
            "kinds": dict(collections.Counter(p["kind"] for p in data.get("problems", []))),
            "stderr": proc.stderr[-500:] if proc.returncode not in (0, 1) else ""}


def stages(n: int, config: str | None) -> dict:
    from newsweave import Pipeline, load_config
    from newsweave.stage import Corpus

    with tempfile.TemporaryDirectory() as tmp:
        make_corpus(Path(tmp), full=False, many_lines=n)
        pipe = Pipeline(config=load_config(config))
        pipe.warm_up()
        t0 = time.monotonic()
        arts, _, _ = pipe.articles([str(Path(tmp) / "many_articles.jsonl")])
    secs = {"read, clean, article stages": round(time.monotonic() - t0, 1)}
    c = Corpus(tuple(arts))
    for st in pipe.corpus_stages:
        t = time.monotonic()
        c = st.process(c)
        secs[st.name] = round(time.monotonic() - t, 1)
    return {"articles": len(arts), "group.mode": pipe.config.get("group.mode"),
            "stories": len(c.stories), "seconds": secs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    c = sub.add_parser("corpus")
    c.add_argument("--full", action="store_true", help="50 MB text, 20 MB field, 10,000 records")
    c.add_argument("--config", help="YAML laid over the defaults (e.g. a smaller max_article_chars)")
    s = sub.add_parser("stages")
    s.add_argument("n", type=int, nargs="+")
    s.add_argument("--config", help="YAML laid over the defaults (e.g. group: {mode: single})")
    args = ap.parse_args()
    if args.what == "corpus":
        print(json.dumps(corpus(args.full, args.config), indent=2))
    else:
        for n in args.n:
            print(json.dumps(stages(n, args.config)), flush=True)


if __name__ == "__main__":
    main()
