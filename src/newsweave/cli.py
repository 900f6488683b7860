"""The command line. It parses arguments, calls the library and formats; it holds no logic.

Exit codes: 0 success (even when some inputs had problems), 1 no input gave an article,
2 bad usage.
"""

from __future__ import annotations

import argparse
import json
import os
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
a report (JSON per spec/report-v1.md, Markdown, or one self-contained HTML file).
"""

EPILOG = """\
exit codes: 0 success (problems with some inputs are listed in the report), 1 no input was usable,
2 bad usage.

examples:
  newsweave analyze examples/cluster -o out/report.json
  newsweave analyze a.html b.txt feed.jsonl --format html -o brief.html
  cat feed.jsonl | newsweave analyze - --format md
  newsweave schema > report-v1.schema.json
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
                    "Text files: an optional leading ' date YYYY-MM-DD' marker, a headline line "
                    "and a timestamp line ('November 7, 2021 at 12:27 pm') are read as metadata.\n"
                    "JSONL records: id, text or html, and optional url, source, published, title.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG)
    a.add_argument("paths", nargs="+", metavar="PATH", help="input files, folders, or '-'")
    a.add_argument("-f", "--format", choices=["json", "md", "html"], default="json",
                   help="report format (default: json)")
    a.add_argument("-o", "--output", metavar="FILE",
                   help="write the report here (default: standard output)")
    a.add_argument("--config", metavar="FILE", help="YAML settings laid over the shipped defaults")
    a.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary line")

    sub.add_parser("schema", help="print the report's JSON Schema",
                   description="Print the JSON Schema of the report contract (version 1).")
    return p


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
        if self.bar is not None:
            self.bar.stop()


def _analyze(args: argparse.Namespace) -> int:
    from .config import load_config
    from .errors import ConfigError
    from .pipeline import Pipeline
    from .render import render

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(f"newsweave: {exc}", file=sys.stderr)
        return EXIT_USAGE
    progress = _Progress(not args.quiet)
    try:
        report = Pipeline(config=config).run(args.paths, progress=progress)
    finally:
        progress.close()
    text = render(report, args.format)
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    input_problems = sum(1 for p in report.problems if p.kind != "warning")
    if not args.quiet:
        print(f"newsweave: {report.inputs} inputs -> {len(report.articles)} articles, "
              f"{input_problems} problems, {len(report.stories)} stories"
              + (f"; wrote {args.output}" if args.output else ""), file=sys.stderr)
    return EXIT_OK if report.articles else EXIT_NO_INPUT


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "analyze":
        return _analyze(args)
    if args.command == "schema":
        from .schema import REPORT_SCHEMA

        print(json.dumps(REPORT_SCHEMA, indent=2))
        return EXIT_OK
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
