"""ArticleCleaner: raw text in, cleaned ``Article`` out, every removal recorded with its kind.

The cleaned text is built from untouched slices of the raw text (one per kept line), so a span in
the cleaned text maps back to the raw input through ``Article.segments``. Lines are kept or dropped
whole, except two prefixes: the scraper's ``date YYYY-MM-DD`` marker and the dateline.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from ..model import Article, RawDocument, Removed, Segment
from . import rules
from .outlets import norm_line

_WORD = re.compile(r"[A-Za-z\u00C0-\u024F\u0400-\u04FF\u0600-\u06FF]{3,}")
_STOP = frozenset(
    "the and for with that this from have has had was were are his her its their they them will "
    "would said says after before over into about than then been being also not but who whom which "
    "while when where what why how all any can could may might our out you your".split()
)


@dataclass(frozen=True)
class _Line:
    start: int  # raw offset of the stripped line
    end: int
    text: str
    para: int  # paragraph number (lines separated by blank lines share none)


def _split_lines(raw: str, every_line_is_paragraph: bool) -> list[_Line]:
    out: list[_Line] = []
    para = 0
    pos = 0
    blank_before = False
    for chunk in raw.splitlines(keepends=True):
        body = chunk.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            blank_before = True
        else:
            if out and (blank_before or every_line_is_paragraph):
                para += 1
            lead = len(body) - len(body.lstrip())
            s = pos + lead
            out.append(_Line(s, s + len(stripped), stripped, para))
            blank_before = False
        pos += len(chunk)
    return out


def _content_words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)} - _STOP


def _is_body_line(text: str) -> bool:
    n = rules.words(text)
    return n >= 14 or (n >= 6 and text.rstrip().rstrip("\"'”’)]").endswith((".", "!", "?")))


class ArticleCleaner:
    """Strip boilerplate, captions, metadata lines and datelines from one raw document.

    ``outlet_lines`` maps an outlet to the lines it repeats (see ``outlets.learn_outlet_boilerplate``).

    >>> cleaner = ArticleCleaner()
    >>> art = cleaner.clean(RawDocument(id="a", input="a.txt", text="BAGHDAD (AP) — Hello there."))
    >>> art.dateline, art.text
    ('BAGHDAD', 'Hello there.')
    """

    name = "cleaner"

    def __init__(self, outlet_lines: dict[str, frozenset[str]] | None = None,
                 max_chars: int = 200_000):
        self.outlet_lines = outlet_lines or {}
        self.max_chars = max_chars

    def clean(self, raw: RawDocument) -> Article:
        text = raw.text
        lines = _split_lines(text, every_line_is_paragraph=raw.text_is_clean)
        removed: list[Removed] = []
        warnings = list(raw.warnings)
        published, published_from = raw.published, ("metadata" if raw.published else None)
        title, author, source = raw.title, raw.author, raw.source
        if title is not None and not rules.is_headline(title):
            warnings.append(f"title {title[:60]!r} is not a headline; read from the text instead")
            title = None
        keep: dict[int, tuple[int, int]] = {i: (ln.start, ln.end) for i, ln in enumerate(lines)}

        def drop(i: int, kind: str, reason: str) -> None:
            ln = lines[i]
            removed.append(Removed(ln.text, kind, reason, ln.start))
            keep.pop(i, None)

        # The scraper's inline date marker on the first line.
        if lines and (m := rules.DATE_MARKER.match(lines[0].text)):
            line_start = text.rfind("\n", 0, lines[0].start) + 1
            marker_end = lines[0].start + m.end()
            removed.append(Removed(text[line_start:marker_end], "metadata",
                                   "publication date marker", line_start))
            if published is None:
                iso = _valid_iso(m.group(1))
                if iso:
                    published, published_from = iso, "metadata"
                else:
                    why = "in the future" if _valid_iso(m.group(1), future=True) else "not a valid date"
                    warnings.append(f"date marker {m.group(1)!r} is {why}; ignored")
            if marker_end >= lines[0].end:
                keep.pop(0)
            else:
                keep[0] = (marker_end, lines[0].end)

        outlet = self.outlet_lines.get(raw.source or "", frozenset())
        # "Source: Harbor Times" as the first or last line: the outlet, when no metadata gave one
        edge = [i for i in (min(keep, default=None), max(keep, default=None)) if i is not None]
        for i in dict.fromkeys(edge):
            name = rules.source_line(lines[i].text)
            if name:
                source = source or name
                drop(i, "metadata", "source line")
        links_follow = False  # after "On the Net:", its link lines
        for i, ln in enumerate(lines):
            if i not in keep:
                continue
            t = ln.text
            if links_follow and rules.is_net_link(t):
                drop(i, "boilerplate", "wire-service link list")
                continue
            links_follow = False
            if rules.is_wire_trailer(t):
                drop(i, "boilerplate", "wire-service trailer")
                links_follow = t.lower().startswith("on the")
            elif rules.is_credit(t):
                drop(i, "boilerplate", "image credit")
            elif rules.is_read_link(t):
                drop(i, "boilerplate", "related-link line")
            elif rules.is_site_noise(t):
                drop(i, "boilerplate", "share/subscribe/cookie/copyright line")
            elif rules.is_mt_disclaimer(t):
                drop(i, "boilerplate", "machine-translation disclaimer")
            elif rules.is_slogan(t):
                drop(i, "boilerplate", "site slogan")
            elif outlet and norm_line(t) in outlet:
                drop(i, "boilerplate", f"line repeated across {raw.source}'s articles")
            elif rules.is_caption(t):
                drop(i, "caption", "photo caption")
            elif rules.is_timestamp(t):
                drop(i, "metadata", "timestamp line")
                if published is None:
                    iso = _parse_timestamp(t)
                    if iso:
                        published, published_from = iso, "metadata"
            elif (who := rules.byline(t)) is not None:
                drop(i, "metadata", "byline")
                author = author or who

        title = self._header(lines, keep, drop, title)

        # Dateline at the head of the first kept paragraph.
        dateline = None
        if keep:
            first = min(keep)
            s, e = keep[first]
            found = rules.dateline(text[s:e])
            if found and e - s - found[1] > 0:
                dateline = found[0]
                removed.append(Removed(text[s:s + found[1]], "dateline", "dateline", s))
                keep[first] = (s + found[1], e)

        clean_text, segments = self._assemble(text, lines, keep)
        if len(clean_text) > self.max_chars:
            cut = clean_text.rfind("\n", 0, self.max_chars)
            cut = cut if cut > self.max_chars // 2 else self.max_chars
            warnings.append(f"text cut to {cut:,} of {len(clean_text):,} characters")
            clean_text = clean_text[:cut]
            segments = tuple(
                Segment(sg.start, sg.raw_start, min(sg.length, cut - sg.start))
                for sg in segments if sg.start < cut
            )
        removed.sort(key=lambda r: (r.raw_start if r.raw_start is not None else -1))
        return Article(
            id=raw.id, input=raw.input, text=clean_text, source=source, url=raw.url,
            title=title, published=published, published_from=published_from, dateline=dateline,
            author=author, removed=tuple(removed), segments=segments,
            content_hash=hashlib.sha1(clean_text.encode("utf-8")).hexdigest(),
            warnings=tuple(warnings),
        )

    @staticmethod
    def _header(lines, keep, drop, title):
        """The block of short lines above the first body paragraph: headline, slogans, kickers."""
        header: list[int] = []
        for i in sorted(keep):
            if _is_body_line(lines[i].text):
                break
            header.append(i)
            if len(header) > 4:
                return title  # no clear header: leave the text alone
        if not header or len(header) == len(keep):
            return title
        body_words: set[str] = set()
        for i in sorted(keep):
            if i not in header:
                body_words |= _content_words(lines[i].text)
        if title:
            tnorm = norm_line(title)
            for i in header:
                if norm_line(lines[i].text) == tnorm:
                    drop(i, "metadata", "headline")
            return title
        # The headline is the header line that shares the most words with the story.
        scored = [
            (len(_content_words(lines[i].text) & body_words), -k, i)
            for k, i in enumerate(header) if rules.words(lines[i].text) >= 3
        ]
        if not scored:
            return title
        best = max(scored)
        if best[0] == 0:
            return title
        head = best[2]
        title = lines[head].text
        drop(head, "metadata", "headline")
        for i in header:
            if i != head and i in keep and not (_content_words(lines[i].text) & body_words):
                drop(i, "boilerplate", "site header line")
        return title

    @staticmethod
    def _assemble(raw: str, lines, keep) -> tuple[str, tuple[Segment, ...]]:
        parts: list[str] = []
        segments: list[Segment] = []
        pos = 0
        prev_para = None
        for i in sorted(keep):
            s, e = keep[i]
            if prev_para is not None:
                sep = "\n\n" if lines[i].para != prev_para else "\n"
                parts.append(sep)
                pos += len(sep)
            piece = raw[s:e]
            parts.append(piece)
            segments.append(Segment(pos, s, len(piece)))
            pos += len(piece)
            prev_para = lines[i].para
        return "".join(parts), tuple(segments)


def _valid_iso(value: str, future: bool = False) -> str | None:
    """The ISO date, or None when it is no date or (unless ``future``) a date after today."""
    try:
        d = date.fromisoformat(value)
    except ValueError:
        return None
    return d.isoformat() if future or d <= date.today() else None


def _parse_timestamp(line: str) -> str | None:
    import dateparser

    core = re.sub(r"^(?:published|updated|posted|last\s+updated|first\s+published)\s*(?:on|at)?\s*:?\s*",
                  "", line, flags=re.I)
    core = re.sub(r"\s+at\s+", " ", core)
    try:
        parsed = dateparser.parse(core, languages=["en"])
    except Exception:
        return None
    if parsed is None or parsed.date() > date.today():
        return None
    return parsed.date().isoformat()
