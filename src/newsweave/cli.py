"""The command line. It parses arguments, calls the library and formats; it holds no logic.

Exit codes: 0 success (even when some inputs had problems), 1 no input gave an article,
2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

EXIT_OK, EXIT_NO_INPUT, EXIT_USAGE = 0, 1, 2

DESCRIPTION = """\
newsweave: make sense of multi-source news.

Reads articles (folders, .txt, .html, .jsonl/.json, or '-' for JSONL on stdin), strips boilerplate,
groups them into stories, finds copied text, checks claims across independent sources, and writes
a report (JSON per spec/report-v1.md, Markdown, or one self-contained HTML file). `ingest` and
`watch` (RSS/Atom feeds, sites, OPML) keep a growing corpus in one SQLite file; `serve` browses it.
"""

EPILOG = """\
exit codes: 0 success (problems with some inputs are listed in the report), 1 no input was usable,
2 bad usage.

examples:
  newsweave analyze examples/cluster -o out/report.json
  newsweave analyze examples/cluster -o out/report.json -o out/report.html   # one run, two formats
  newsweave analyze a.html b.txt feed.jsonl --format html -o brief.html
  cat feed.jsonl | newsweave analyze - --format md
  newsweave schema > report-v1.schema.json
  newsweave ingest examples/cluster --db corpus.db && newsweave stories --db corpus.db
  newsweave search "Caldera explosion" --db corpus.db
  newsweave analyze archive/ --scheduler processes --workers 2   # Dask LocalCluster
  newsweave serve --db corpus.db          # web app on http://127.0.0.1:8000/
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsweave", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"newsweave {_version()}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    a = sub.add_parser(
        "analyze", help="turn articles into a report",
        description="Analyze articles and write a report. PATH may be a file, a folder (read "
                    "recursively) or '-' for JSONL records on stdin.\n\n"
                    "Text files: an optional leading ' date YYYY-MM-DD' marker, a headline line, "
                    "a timestamp line ('November 7, 2021 at 12:27 pm') and a 'Source: Outlet' "
                    "line at the top or end are read as metadata.\n"
                    "JSONL records: id, text or html, and optional url, source, published, title.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    a.add_argument("paths", nargs="+", metavar="PATH", help="input files, folders, or '-'")
    a.add_argument("-f", "--format", default=None, metavar="FMT[,FMT...]",
                   help="report format: json, md or html, or several separated by commas "
                        "with -o (default: from each -o file's extension, else json)")
    a.add_argument("-o", "--output", metavar="FILE", action="append",
                   help="write the report here (default: standard output); repeat it to write "
                        "several formats from one run, each by its extension: "
                        "-o out/report.json -o out/report.html")
    a.add_argument("--config", metavar="FILE", help="YAML settings laid over the shipped defaults")
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")
    _run_options(a)

    sub.add_parser("schema", help="print the report's JSON Schema",
                   description="Print the JSON Schema of the report contract (version 1).")

    db_help = "the corpus store, one SQLite file (default: newsweave.db)"
    i = sub.add_parser("ingest", help="add articles to the corpus store",
                       description="Add articles to the store and refresh their stories. "
                                   "Idempotent: an article already stored (same text) changes "
                                   "nothing; one whose id or URL is stored with other text is "
                                   "kept as a new version linked to the earlier one.")
    i.add_argument("paths", nargs="+", metavar="PATH", help="input files, folders, or '-'")
    i.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    i.add_argument("--config", metavar="FILE", help="YAML settings laid over the shipped defaults")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")
    _run_options(i)

    w = sub.add_parser("watch", help="follow RSS/Atom feeds, sites and OPML lists into the store",
                       description="Poll feeds (a feed URL, a site whose home page announces its "
                                   "feeds, or an OPML file) and ingest the pages they list. An "
                                   "unchanged feed costs a 304 (conditional GET); an entry seen "
                                   "before is not fetched again unless its feed dates it later. "
                                   "Polite: robots.txt, one request per host at a time with a "
                                   "delay between them, timeouts, size limits, bounded redirects "
                                   "and retries (watch.* in the config). Prints a line per poll; "
                                   "Ctrl-C stops it between requests, losing nothing committed.")
    w.add_argument("sources", nargs="+", metavar="SOURCE", help="feed URL, site URL or OPML file")
    w.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    w.add_argument("--every", default="15m", metavar="INTERVAL",
                   help="time between polls: 90s, 15m, 1h (default: 15m)")
    w.add_argument("--once", action="store_true", help="poll once and exit")
    w.add_argument("--config", metavar="FILE", help="YAML settings laid over the shipped defaults")
    w.add_argument("-q", "--quiet", action="store_true", help="no line per poll")

    st = sub.add_parser("stories", help="list the stored stories",
                        description="List stories, newest first or by independent sources.")
    st.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    st.add_argument("--sort", choices=["newest", "sources"], default="newest")
    st.add_argument("-n", "--limit", type=int, default=20)
    st.add_argument("--json", action="store_true", help="JSON lines instead of a table")

    sh = sub.add_parser("show", help="print a stored story's brief",
                        description="Print one story (id or unique id prefix) as Markdown or JSON.")
    sh.add_argument("story", metavar="STORY")
    sh.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    sh.add_argument("-f", "--format", choices=["md", "json"], default="md")

    se = sub.add_parser("search", help="full-text search over stored articles and facts",
                        description="Search articles and facts (SQLite FTS5; words are ANDed).")
    se.add_argument("query")
    se.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    se.add_argument("-n", "--limit", type=int, default=20)

    ex = sub.add_parser("export", help="write the stored corpus as a report",
                        description="Write every stored article and story as one report.")
    ex.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    ex.add_argument("-f", "--format", choices=["json", "md", "html"], default="json")
    ex.add_argument("-o", "--output", metavar="FILE", help="default: standard output")

    sv = sub.add_parser("serve", help="browse the store in a web browser (and a JSON API)",
                        description="Serve the store's stories as web pages and a JSON API "
                                    "(/docs). Reads are open; POST /api/ingest needs the token "
                                    "web.token or NEWSWEAVE_TOKEN.")
    sv.add_argument("--db", default="newsweave.db", metavar="FILE", help=db_help)
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    sv.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
    sv.add_argument("--config", metavar="FILE", help="YAML settings laid over the shipped defaults")
    return p


def _run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scheduler", metavar="WHERE",
                   help="where parsing, extraction and each story's cross-checking and brief "
                        "run: 'local' (this process), 'processes' "
                        "(a Dask LocalCluster) or a Dask scheduler address such as "
                        "tcp://10.0.0.5:8786 (default: run.scheduler in the config, 'local')")
    p.add_argument("--workers", type=int, metavar="N",
                   help="worker processes for --scheduler processes (default: run.workers, 2)")


def _executor(args, config):
    from .scale import make_executor

    return make_executor(args.scheduler or config.get("run.scheduler"),
                         args.workers or config.get("run.workers"))


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("newsweave")
    except Exception:
        return "unknown"


class _Progress:
    """A rich progress bar that appears only once the work has taken over a second."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.bar = None
        self.task = None

    def __call__(self, what: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.t0 < 1.0:
                return
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.bar.start()
            self.task = self.bar.add_task(what, total=total)
        self.bar.update(self.task, completed=done, total=total, description=what)

    def close(self) -> None:
        """Stop the bar; the next call starts a fresh one (``watch`` runs one per poll)."""
        if self.bar is not None:
            self.bar.stop()
        self.bar, self.task, self.t0 = None, None, time.monotonic()


FORMATS = ("json", "md", "html")
_EXTENSIONS = {".json": "json", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def report_targets(outputs: list[str] | None, formats: str | None) -> list[tuple[Path | None, str]]:
    """Where each report goes and in which format: ``-o`` files by their extension (or the one
    ``--format``), one ``-o`` name without an extension and several formats as NAME.FMT each,
    no ``-o``: one format to standard output. Raises ConfigError on a mix that says nothing."""
    from .errors import ConfigError

    wanted = [f.strip() for f in formats.split(",") if f.strip()] if formats else []
    bad = [f for f in wanted if f not in FORMATS]
    if bad:
        raise ConfigError(f"unknown format {bad[0]!r}; use json, md or html (comma-separated)")
    if not outputs:
        if len(wanted) > 1:
            raise ConfigError("several formats need -o: -o out/report.json -o out/report.html, "
                             "or -o out/report --format json,html")
        return [(None, wanted[0] if wanted else "json")]
    if len(outputs) == 1 and len(wanted) > 1:
        base = Path(outputs[0])
        return [(base.with_name(base.name + "." + f) if base.suffix.lower() not in _EXTENSIONS
                 else base.with_suffix("." + f), f) for f in wanted]
    out = []
    for o in outputs:
        fmt = _EXTENSIONS.get(Path(o).suffix.lower())
        if fmt is None:
            if len(wanted) != 1:
                raise ConfigError(f"cannot tell the format of {o!r}: name it .json, .md or .html, "
                                 "or give one --format")
            fmt = wanted[0]
        elif len(wanted) == 1 and len(outputs) == 1:
            fmt = wanted[0]  # --format wins over the extension, as before
        out.append((Path(o), fmt))
    return out


def _write_file(path: Path, fill) -> None:
    """``fill(fh)`` into ``path`` through a temporary file beside it, renamed when complete, so a
    run that fails while writing never leaves half a report under the name asked for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    try:
        with part.open("w", encoding="utf-8") as fh:
            fill(fh)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def _analyze(args: argparse.Namespace) -> int:
    from .config import load_config
    from .pipeline import Pipeline
    from .render import write

    targets = report_targets(args.output, args.format)  # a bad -o/--format fails before the run
    config = load_config(args.config)
    progress = _Progress(not args.quiet)
    try:
        with _executor(args, config) as executor:
            report = Pipeline(config=config, executor=executor).run(args.paths, progress=progress)
    finally:
        progress.close()
    written = []
    for out, fmt in targets:
        if out is None:
            write(report, fmt, sys.stdout)
            continue
        _write_file(out, lambda fh, fmt=fmt: write(report, fmt, fh))
        written.append(str(out))
    input_problems = sum(1 for p in report.problems if p.kind != "warning")
    if not args.quiet:
        print(f"newsweave: {report.inputs} inputs -> {len(report.articles)} articles, "
              f"{input_problems} problems, {len(report.stories)} stories"
              + (f"; wrote {', '.join(written)}" if written else ""), file=sys.stderr)
    return EXIT_OK if report.articles else EXIT_NO_INPUT


class _NoStore(Exception):
    """The command reads a store that does not exist (main prints it, exit EXIT_NO_INPUT)."""


def _open_store(path: str, must_exist: bool = True):
    from .store import Store

    if must_exist and not Path(path).exists():
        raise _NoStore(f"no store at {path!r}; create one with: newsweave ingest PATH --db {path}")
    return Store(path)


def _ingest(args) -> int:
    from .config import load_config
    from .pipeline import Pipeline
    from .store import ingest

    config = load_config(args.config)
    progress = _Progress(not args.quiet)
    with _open_store(args.db, must_exist=False) as store:
        try:
            with _executor(args, config) as executor:
                res = ingest(store, args.paths, Pipeline(config=config, executor=executor),
                             progress=progress)
        finally:
            progress.close()
    if not args.quiet:
        print(f"newsweave: {res.inputs} inputs: {len(res.added)} added, {len(res.unchanged)} "
              f"unchanged, {len(res.versions)} new versions, "
              f"{sum(p.kind != 'warning' for p in res.problems)} problems; {res.stories} stories "
              f"in {args.db}", file=sys.stderr)
        for p in res.problems:
            if p.kind != "warning":
                print(f"  {p.input}: {p.kind}: {p.message}", file=sys.stderr)
    return EXIT_OK if res.added or res.unchanged or res.versions else EXIT_NO_INPUT


def _interval(text: str) -> float:
    from .errors import ConfigError

    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"--every {text!r}: give a positive number of seconds, minutes or "
                          "hours, e.g. 90s, 15m, 1h")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2)]


def _watch(args) -> int:
    from .config import load_config
    from .feeds.fetch import Fetcher, Politeness
    from .feeds.watch import Watcher
    from .pipeline import Pipeline

    every = _interval(args.every)
    config = load_config(args.config)
    polite = Politeness(**config.get("watch"))
    progress = _Progress(not args.quiet)
    with _open_store(args.db, must_exist=False) as store, Fetcher(polite) as fetcher:
        watcher = Watcher(store, Pipeline(config=config), fetcher, progress)
        polls = 0
        try:
            while True:
                res = watcher.poll(args.sources)
                progress.close()
                polls += 1
                if not args.quiet:
                    print(f"newsweave watch: poll {polls}: {res.line()}", file=sys.stderr)
                    for p in res.problems:
                        print(f"  {p.input}: {p.kind}: {p.message}", file=sys.stderr)
                if args.once:  # exit 1 when no feed at all could be read
                    return EXIT_OK if res.feeds > res.failed_feeds else EXIT_NO_INPUT
                time.sleep(every)
        except KeyboardInterrupt:
            print(f"newsweave watch: stopped after {polls} polls", file=sys.stderr)
            return EXIT_OK


def _stories(args) -> int:
    with _open_store(args.db) as store:
        rows = store.stories(args.sort, args.limit)
    if args.json:
        for r in rows:
            print(json.dumps(r, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        print(f"{r['id']}  {r['last_published'] or '':10}  {r['n_sources']:>2} sources  "
              f"{r['n_articles']:>3} articles  {r['title']}")
    return EXIT_OK


def _show(args) -> int:
    from .model import Story, from_dict
    from .render.markdown import story_markdown

    with _open_store(args.db) as store:
        data = store.story(args.story)
    if data is None:
        print(f"newsweave: no story {args.story!r} (see: newsweave stories --db {args.db})",
              file=sys.stderr)
        return EXIT_NO_INPUT
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(story_markdown(from_dict(Story, data)))
    return EXIT_OK


def _search(args) -> int:
    with _open_store(args.db) as store:
        for hit in store.search(args.query, args.limit):
            print(f"{hit['kind']:7} {hit['id']}  {' '.join(str(hit['snippet']).split())}")
    return EXIT_OK


def _export(args) -> int:
    from .model import Report, Story, from_dict
    from .render import write

    with _open_store(args.db) as store:
        articles = store.load_articles()
        stories = [from_dict(Story, store.story(r["id"])) for r in store.stories(limit=10**9)]
    report = Report(tuple(articles), (), tuple(stories), inputs=len(articles))
    if args.output:
        _write_file(Path(args.output), lambda fh: write(report, args.format, fh))
    else:
        write(report, args.format, sys.stdout)
    return EXIT_OK


def _serve(args) -> int:
    from .config import load_config
    from .errors import NewsweaveError

    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401

        from .web import serve
    except ImportError as exc:
        print(f"newsweave: serve needs the web extra ({exc.name}): pip install 'newsweave[web]'",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        config = load_config(args.config)
        print(f"newsweave: serving {args.db} on http://{args.host}:{args.port}/ (API docs: /docs)",
              file=sys.stderr)
        serve(args.db, config, host=args.host, port=args.port)
    except NewsweaveError as exc:
        print(f"newsweave: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    if hasattr(signal, "SIGPIPE") and argv is None:
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `newsweave show X | head` ends quietly
    args = _parser().parse_args(argv)
    commands = {"analyze": _analyze, "ingest": _ingest, "watch": _watch, "stories": _stories, "show": _show,
                "search": _search, "export": _export, "serve": _serve}
    if args.command in commands:
        from .errors import ConfigError

        try:
            return commands[args.command](args)
        except ConfigError as exc:  # a bad setting, in a file or an option: bad usage
            print(f"newsweave: {exc}", file=sys.stderr)
            return EXIT_USAGE
        except _NoStore as exc:
            print(f"newsweave: {exc}", file=sys.stderr)
            return EXIT_NO_INPUT
    if args.command == "schema":  # noqa: SIM102
        from .schema import REPORT_SCHEMA

        print(json.dumps(REPORT_SCHEMA, indent=2))
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
