"""Readers: files and folders of .txt, .html and .jsonl/.json, and JSONL on stdin.

``read_inputs`` yields one item per input: a RawDocument, or a Problem that says why that input
gave no article. A file is one input; each record of a JSONL/JSON file is one input (a file that
yields no record at all is one problem). So articles + input problems == inputs, always.
"""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ..config import Config, load_config
from ..errors import InputError
from ..model import Problem, RawDocument
from .encoding import decode
from .html import extract_html

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSON_SUFFIXES = {".jsonl", ".ndjson", ".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Folders become their files (recursively, sorted; hidden files skipped); '-' stays."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append(p)
            continue
        path = Path(p)
        if path.is_dir():
            for f in sorted(path.rglob("*")):
                rel = f.relative_to(path)
                if f.is_file() and not any(part.startswith(".") for part in rel.parts):
                    if f.name.lower() in {"readme.md", "expected.md"}:
                        continue
                    out.append(str(f))
        else:
            out.append(p)
    return out


def _clean_date(value: object, where: str) -> tuple[str | None, list[str]]:
    """A publication date from metadata, as ISO; impossible or future dates are dropped with a
    warning."""
    if value is None or value == "":
        return None, []
    if not isinstance(value, str):
        return None, [f"{where}: published must be a string, got {type(value).__name__}; ignored"]
    head = value.strip()[:10]
    try:
        d = date.fromisoformat(head)
    except ValueError:
        try:
            import dateparser

            parsed = dateparser.parse(value, settings={"STRICT_PARSING": True})
        except Exception:  # dateparser raises a zoo of errors on odd input
            parsed = None
        if parsed is None:
            return None, [f"{where}: published date {value!r} is not a date; ignored"]
        d = parsed.date()
    if d > date.today():
        return None, [f"{where}: published date {d.isoformat()} is in the future; ignored"]
    if d.year < 1800:
        return None, [f"{where}: published date {d.isoformat()} is implausibly old; ignored"]
    return d.isoformat(), []


class _NotJSON(InputError):
    """The text is not JSON at all (as opposed to JSON that cannot be read)."""


def _loads(text: str) -> object:
    """``json.loads`` whose every failure is an InputError: besides JSONDecodeError, a
    5,000-digit integer raises ValueError and ``[[[[...`` nested 100,000 deep RecursionError."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise _NotJSON(f"not valid JSON ({exc.msg})", kind="parse") from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", kind="parse") from None
    except ValueError as exc:  # int digits limit
        raise InputError(f"JSON value cannot be read: {exc}", kind="parse") from None


def _record_to_raw(rec: object, input_name: str, default_id: str, config: Config) -> RawDocument:
    if not isinstance(rec, dict):
        raise InputError(f"a record must be a JSON object, got {type(rec).__name__}", kind="parse")
    text, html = rec.get("text"), rec.get("html")
    if text is None and html is None:
        raise InputError("record has neither 'text' nor 'html'", kind="parse")
    for name, val in (("text", text), ("html", html)):
        if val is not None and not isinstance(val, str):
            raise InputError(f"'{name}' must be a string, got {type(val).__name__}", kind="parse")
    rid = rec.get("id", default_id)
    if not isinstance(rid, (str, int)) or isinstance(rid, bool):
        raise InputError(f"'id' must be a string, got {type(rid).__name__}", kind="parse")
    warnings: list[str] = []
    meta: dict[str, str | None] = {}
    for key in ("url", "source", "title", "author"):
        val = rec.get(key)
        if val is not None and not isinstance(val, str):
            warnings.append(f"'{key}' must be a string, got {type(val).__name__}; ignored")
            val = None
        meta[key] = val
    published, w = _clean_date(rec.get("published"), "record")
    warnings += w
    if html is not None and text is None:
        doc = extract_html(html, input_name, str(rid), config)
        return RawDocument(
            id=str(rid), input=input_name, text=doc.text, format="html", text_is_clean=True,
            source=meta["source"] or doc.source, url=meta["url"] or doc.url,
            title=meta["title"] or doc.title, author=meta["author"] or doc.author,
            published=published or doc.published, warnings=tuple(warnings) + doc.warnings,
        )
    return RawDocument(
        id=str(rid), input=input_name, text=text, format="jsonl", source=meta["source"],
        url=meta["url"], title=meta["title"], author=meta["author"], published=published,
        warnings=tuple(warnings),
    )


def _read_records(lines: Iterable[tuple[int, str]], name: str, config: Config) -> Iterator:
    any_line = False
    limit = config.get("limits.max_input_bytes")
    for lineno, line in lines:
        if not line.strip():
            continue
        any_line = True
        where = f"{name}:{lineno}"
        if len(line) > limit:  # only stdin can get here: a file is cut to the limit when read
            yield Problem(where, "too_large", f"line {lineno} holds {len(line):,} characters, over "
                                              f"limits.max_input_bytes ({limit:,}); not parsed")
            continue
        try:
            rec = _loads(line)
        except InputError as exc:
            yield Problem(where, exc.kind, f"line {lineno}: {exc}")
            continue
        try:
            yield _record_to_raw(rec, where, where, config)
        except InputError as exc:
            yield Problem(where, exc.kind, str(exc))
    if not any_line:
        yield Problem(name, "empty", "no JSON records in this input")


def _file_id(path: Path) -> str:
    return path.stem


def read_file(path: str, config: Config) -> Iterator[RawDocument | Problem]:
    """Read one file; yield its RawDocument(s) or Problem(s)."""
    p = Path(path)
    limit = config.get("limits.max_input_bytes")
    try:
        st = p.stat()
        if not stat.S_ISREG(st.st_mode):
            # Opening a FIFO blocks until someone writes; a device may never end.
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            yield Problem(path, "unreadable", f"{what} (a pipe or a device?); use '-' for "
                                              "JSONL on stdin")
            return
        size = st.st_size
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except OSError as exc:
        yield Problem(path, "unreadable", f"cannot read file: {exc.strerror or exc}")
        return
    warnings: list[str] = []
    if size > limit:
        data = data[:limit]
        warnings.append(f"file is {size:,} bytes; only the first {limit:,} were read")
    if not data.strip():
        yield Problem(path, "empty", "file is empty" if not data else "file holds only whitespace")
        return
    suffix = p.suffix.lower()
    try:
        text, encoding, w = decode(data)
    except InputError as exc:
        yield Problem(path, exc.kind, str(exc))
        return
    warnings += w
    if suffix in JSON_SUFFIXES:
        if suffix == ".json" and text.lstrip()[:1] in "[{":
            try:
                obj = _loads(text)
            except _NotJSON:
                obj = None  # maybe JSON Lines named .json: fall through
            except InputError as exc:
                yield Problem(path, exc.kind, str(exc))
                return
            if obj is not None:
                recs = obj if isinstance(obj, list) else [obj]
                if not recs:
                    yield Problem(path, "empty", "JSON array holds no records")
                for i, rec in enumerate(recs, 1):
                    where = path if not isinstance(obj, list) else f"{path}:{i}"
                    default = _file_id(p) if not isinstance(obj, list) else f"{p.name}:{i}"
                    try:
                        yield _record_to_raw(rec, where, default, config)
                    except InputError as exc:
                        yield Problem(where, exc.kind, str(exc))
                return
        yield from _read_records(enumerate(text.splitlines(), 1), path, config)
        return
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and _looks_like_html(text)):
        try:
            doc = extract_html(text, path, _file_id(p), config)
        except InputError as exc:
            yield Problem(path, exc.kind, str(exc))
            return
        yield RawDocument(**{**doc.__dict__, "encoding": encoding,
                             "warnings": tuple(warnings) + doc.warnings})
        return
    if suffix not in KNOWN_SUFFIXES:
        warnings.append(f"unknown extension {suffix!r}; read as plain text")
    yield RawDocument(id=_file_id(p), input=path, text=text, encoding=encoding, format="txt",
                      warnings=tuple(warnings))


def _looks_like_html(text: str) -> bool:
    head = text[:1000].lower()
    return "<html" in head or "<!doctype html" in head


def read_inputs(paths: Iterable[str], config: Config | None = None,
                stdin=None) -> Iterator[RawDocument | Problem]:
    """Yield a RawDocument or a Problem for every input under ``paths``.

    Duplicate inputs (byte-identical text already seen in this run) become ``duplicate`` problems,
    and article ids are made unique (``name~2``) when two files share a stem.
    """
    config = config or load_config()
    seen_hash: dict[str, str] = {}
    seen_ids: dict[str, int] = {}
    for path in expand_paths(paths):
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin
            items: Iterable = _read_records(enumerate(stream, 1), "<stdin>", config)
        elif not Path(path).exists():
            yield Problem(path, "missing", "no such file or folder")
            continue
        else:
            items = read_file(path, config)
        for item in items:
            if isinstance(item, Problem):
                yield item
                continue
            digest = hashlib.sha1(" ".join(item.text.split()).encode("utf-8")).hexdigest()
            if digest in seen_hash:
                yield Problem(item.input, "duplicate",
                              f"same text as {seen_hash[digest]}; counted once")
                continue
            seen_hash[digest] = item.input
            n = seen_ids.get(item.id, 0) + 1
            seen_ids[item.id] = n
            if n > 1:
                item = RawDocument(**{**item.__dict__, "id": f"{item.id}~{n}"})
            yield item
