"""The story page, one renderer for two uses: the self-contained HTML report (``analyze --format
html``: CSS and JS inlined, a CSP that allows only those two by hash) and the web app's story page
(``newsweave serve``: the same markup with /static/ assets).

Every string that comes from an article goes through ``esc`` (html.escape with quotes), and no
article text ever reaches an attribute other than as escaped text, nor a URL other than an
``http(s)`` link, so a ``<script>``, an ``onerror=`` or a ``javascript:`` link in an article renders
as visible characters. Citations are numbered per story against its sources list (outlet, date,
title, independent source) and carry the cited span; the script shows it in place on click and
highlights it in the article's text on request. Charts are inline SVG drawn here, with no library.
"""

from __future__ import annotations

import base64
import hashlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from functools import cache
from html import escape
from importlib import resources

from ..model import Article, Removed, Report, Span, Story
from .brief import conflict_sides, grouped_quotes, numbering

#: Article page URL for an article id, or None where there is no such page (the report).
Linker = Callable[[str], str] | None


@cache

def _sources_cell(fact) -> str:
    """Independent sources, with the outlets they come from when fewer ("3 · 2 outlets")."""
    cell = str(int(fact.independent_sources))
    if fact.upstream_sources is not None and fact.upstream_sources < fact.independent_sources:
        n = int(fact.upstream_sources)
        cell += f' <span class="muted">· {n} outlet{"s" if n != 1 else ""}</span>'
    if fact.frame is not None and fact.frame.modality != "asserted":
        cell += f' <span class="muted">{esc(fact.frame.modality)}</span>'
    return cell

def asset(name: str) -> str:
    """A shipped asset (``story.css``, ``story.js``) as text."""
    return resources.files("newsweave.render").joinpath("templates", name).read_text("utf-8")


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None (no ``javascript:``, ``data:``...)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def cite_links(spans: Iterable[Span], number: Mapping[str, int] | None = None,
               articles: Mapping[str, Article] | None = None) -> str:
    """Citation links, one per cited article (its first span). With ``number`` (article id ->
    its number in the story's sources list) the label is "[n]", else the article id; the link
    carries the span (``data-start``/``data-end``/``data-text``) for the script to show in place,
    and the outlet and date in its title."""
    number, articles = number or {}, articles or {}
    out, seen = [], set()
    spans = sorted(spans, key=lambda sp: number.get(sp.article, len(number) + 1))  # stable
    for sp in spans:
        if sp.article in seen:
            continue
        seen.add(sp.article)
        a = articles.get(sp.article)
        who = ", ".join(x for x in ((a.source or sp.article) if a else sp.article,
                                    (a.published or "")[:10] if a else "") if x)
        n = number.get(sp.article)
        label = f"[{n}]" if n is not None else f"[{esc(sp.article)}]"
        out.append(
            f'<a class="cite" href="#art-{esc(sp.article)}" data-article="{esc(sp.article)}" '
            f'data-start="{int(sp.start)}" data-end="{int(sp.end)}" data-text="{esc(sp.text)}" '
            f'data-label="{esc(label + " " + who)}" title="{esc(who)}" '
            f'aria-label="source {esc(n if n is not None else sp.article)}: {esc(who)}">{label}</a>'
        )
    return "".join(out)


def outlet_classes(articles: Mapping[str, Article]) -> dict[str, str]:
    """Outlet name -> its colour class ("g0".."g7"), the same for an outlet across the page."""
    names = sorted({a.source for a in articles.values() if a.source})
    return {name: f"g{k % 8}" for k, name in enumerate(names)}


def _outlet_chip(aid: str, articles: Mapping[str, Article], colours: Mapping[str, str],
                 count: int = 1) -> str:
    a = articles.get(aid)
    name = a.source if a is not None and a.source else None
    times = f" ×{count}" if count > 1 else ""
    if name is None:
        return f'<span class="outlet">{esc(aid)}{times}</span>'
    return (f'<span class="outlet"><span class="swatch {colours.get(name, "")}" aria-hidden="true">'
            f"</span>{esc(name)}{times}</span>")


def outlet_chips(ids: Iterable[str], articles: Mapping[str, Article],
                 colours: Mapping[str, str]) -> str:
    """Each outlet of ``ids`` once, coloured, with how many of its articles ("Harbor Times ×2")."""
    first: dict[str, str] = {}
    count: dict[str, int] = {}
    for aid in ids:
        a = articles.get(aid)
        key = a.source if a is not None and a.source else aid
        first.setdefault(key, aid)
        count[key] = count.get(key, 0) + 1
    return " ".join(_outlet_chip(aid, articles, colours, count[k]) for k, aid in first.items())


def sources_list(story: Story, number: Mapping[str, int], articles: Mapping[str, Article],
                 colours: Mapping[str, str]) -> str:
    """The story's numbered sources: outlet (coloured), date, title, id, and its independent
    source group (articles that share text count as one source)."""
    group = {aid: g for g, members in enumerate(story.source_groups) for aid in members}
    h = ['<ol class="sources-list">']
    for aid, n in number.items():
        a = articles.get(aid)
        bits = [_outlet_chip(aid, articles, colours)]
        if a is not None and a.published:
            bits.append(esc(a.published[:10]))
        if a is not None and a.title:
            bits.append(f"“{esc(a.title)}”")
        bits.append(f'<a href="#art-{esc(aid)}">{esc(aid)}</a>')
        if aid in group:
            members = story.source_groups[group[aid]]
            others = [f"[{number[o]}]" for o in members if o != aid and o in number]
            bits.append(f"source {group[aid] + 1}" + (f", same text as {' '.join(others)}" if others else ""))
        h.append(f'<li value="{n}" id="src-{esc(story.id)}-{n}">' + " · ".join(bits) + "</li>")
    h.append("</ol>")
    return "".join(h)


def _label(aid: str, articles: Mapping[str, Article], width: int = 18) -> str:
    a = articles.get(aid)
    name = (a.source if a and a.source else aid) or aid
    return name if len(name) <= width else name[: width - 1] + "…"


# --- charts (inline SVG) ------------------------------------------------------------------------

def _day(value: str | None) -> int | None:
    """Day number of an ISO date of any precision ('2021', '2021-11', '2021-11-07')."""
    if not value:
        return None
    try:
        parts = [int(p) for p in str(value)[:10].split("-")]
        return date(parts[0], *(parts[1:] + [1, 1])[:2]).toordinal()
    except (ValueError, IndexError):
        return None


def timeline_svg(story: Story, articles: Mapping[str, Article]) -> str:
    """Dated events as dots on a time axis (bigger dot: more events that day), publication dates
    of the story's articles as grey ticks under it. Each dot links to its row in the table."""
    by_date: dict[str, list[int]] = {}
    for i, t in enumerate(story.timeline):
        if _day(t.date) is not None:
            by_date.setdefault(t.date, []).append(i)
    pubs: dict[str, list[str]] = {}
    for aid in story.articles:
        a = articles.get(aid)
        if a and _day(a.published) is not None:
            pubs.setdefault(a.published, []).append(aid)
    # A real time axis, with long gaps cut: a story's dates run from decades back ("since
    # 1987") to its own hours, so a gap far longer than the story's own pace is drawn as a
    # break of fixed width labelled with its length, and everything else is to scale.
    days = sorted({_day(d) for d in list(by_date) + list(pubs)})
    if not days:
        return ""
    gaps = [b - a for a, b in zip(days, days[1:])]
    cut = max(30, 4 * sorted(gaps)[len(gaps) // 2]) if gaps else 0
    brk = 40.0  # width of a cut gap
    unit = 1.0  # width of one day, before scaling
    pos = [0.0]
    for g in gaps:
        pos.append(pos[-1] + (brk if g > cut else g * unit))
    width, pad, axis_y = max(720, 40 * len(days)), 40, 60
    span = pos[-1] or 1.0
    at = {d: (width / 2 if len(days) == 1 else pad + p / span * (width - 2 * pad))
          for d, p in zip(days, pos)}

    def x(d: str) -> float:
        return at[_day(d)]
    h = [(f'<svg class="timeline" viewBox="0 0 {width} 130" width="{width}" height="130" '
          f'role="group" aria-label="timeline of {len(story.timeline)} dated events">'),
         f'<line class="axis" x1="{pad - 10}" y1="{axis_y}" x2="{width - pad + 10}" y2="{axis_y}"/>']
    for (a, b), g in zip(zip(days, days[1:]), gaps):
        if g > cut:  # the cut: a white gap in the axis with two strokes and the gap's length
            mid = (at[a] + at[b]) / 2
            years = g / 365.25
            length = f"{years:.0f} years" if years >= 2 else f"{g // 30} months" if g >= 60 else f"{g} days"
            h.append(f'<rect x="{mid - 6:.1f}" y="{axis_y - 6}" width="12" height="12" fill="#fff"/>'
                     f'<path class="axis" d="M{mid - 7:.1f} {axis_y + 6} l4 -12 M{mid + 3:.1f} '
                     f'{axis_y + 6} l4 -12"/><text class="small" x="{mid:.1f}" y="{axis_y + 28}" '
                     f'text-anchor="middle">{esc(length)}</text>')
    for n, (d, idx) in enumerate(sorted(by_date.items(), key=lambda kv: _day(kv[0]))):
        r = 4 + 2 * min(len(idx), 5)
        tip = "\n".join(story.timeline[i].text for i in idx)
        h.append(f'<a href="#tl-{idx[0]}"><circle class="dot" cx="{x(d):.1f}" cy="{axis_y}" r="{r}">'
                 f"<title>{esc(d)}: {esc(tip)}</title></circle></a>")
        h.append(f'<text x="{x(d):.1f}" y="{axis_y - 18 - 12 * (n % 2)}" text-anchor="middle">'
                 f"{esc(d)}</text>")
    for d, ids in pubs.items():
        px = x(d)
        h.append(f'<path class="pub" d="M{px:.1f} {axis_y + 14} l-5 9 h10 z">'
                 f"<title>published {esc(d)}: {esc(', '.join(ids))}</title></path>")
    h.append(f'<text class="small" x="{pad - 10}" y="{axis_y + 40}">▲ article published</text>')
    h.append("</svg>")
    return ('<figure class="chart timeline-chart">' + "".join(h) + "<figcaption>Dated events "
            "(dots; click for the row, the table below has each text) and publication dates (▲) "
            "on a time axis; a gap much longer than the story's own pace is cut (//) and its "
            "length written under it.</figcaption></figure>")


def update_svg(update) -> str:
    """An update's figures as a series: each value at its publication date (to scale), joined by
    a line, with the value and the date written at each point."""
    pts = [(d, float(p.value), p) for p in update.series
           if (d := _day(p.published)) is not None and isinstance(p.value, (int, float))]
    if len(pts) < 2:
        return ""
    width, height, pad = 480, 150, 44
    d0, d1 = min(d for d, _, _ in pts), max(d for d, _, _ in pts)
    v0, v1 = min(v for _, v, _ in pts), max(v for _, v, _ in pts)

    def xy(d: int, v: float) -> tuple[float, float]:
        x = pad + (d - d0) / ((d1 - d0) or 1) * (width - 2 * pad)
        y = height - pad + 10 - (v - v0) / ((v1 - v0) or 1) * (height - 2 * pad)
        return x, y
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(d, v) for d, v, _ in pts))
    h = [f'<svg class="series" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
         f'role="img" aria-label="{esc(update.what)}: '
         + esc(", ".join(f"{p.value} on {(p.published or '')[:10]}" for _, _, p in pts)) + '">',
         f'<polyline class="trend" points="{line}" fill="none"/>']
    for d, v, p in pts:
        x, y = xy(d, v)
        h.append(f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="5"/>'
                 f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle">{esc(p.value)}</text>'
                 f'<text class="small" x="{x:.1f}" y="{height - 8}" text-anchor="middle">'
                 f"{esc((p.published or '')[:10])}</text>")
    h.append("</svg>")
    return '<figure class="chart">' + "".join(h) + "</figure>"


def sources_svg(story: Story, articles: Mapping[str, Article]) -> str:
    """The story's articles as nodes coloured by independent source group, with copied text
    between them as edges (solid: copy, dashed: shared quote, dotted: shared wire copy)."""
    ids = list(story.articles)
    if not ids:
        return ""
    group = {aid: g for g, members in enumerate(story.source_groups) for aid in members}
    width, height = 520, 300
    cx, cy, rad = width / 2, height / 2, (0 if len(ids) == 1 else 110)
    angle = {aid: 2 * math.pi * i / len(ids) - math.pi / 2 for i, aid in enumerate(ids)}
    pos = {aid: (cx + rad * math.cos(a), cy + rad * math.sin(a)) for aid, a in angle.items()}
    h = [(f'<svg class="sources" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
          f'role="group" aria-label="{len(ids)} articles in '
          f'{len(story.source_groups) or len(ids)} independent sources">')]
    for r in story.reuse:
        a, b = r.articles
        if a in pos and b in pos:
            (x1, y1), (x2, y2) = pos[a], pos[b]
            h.append(f'<line class="edge {esc(r.kind)}" x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" '
                     f'y2="{y2:.1f}"><title>{esc(a)} ↔ {esc(b)}: {esc(r.kind)}, '
                     f"{r.share:.0%} shared</title></line>")
    for aid in ids:
        x, y = pos[aid]
        g = group.get(aid, len(story.source_groups))
        # Labels sit outside the ring: beside the node left and right, above or below it at
        # the top and bottom.
        c, sn = math.cos(angle[aid]), math.sin(angle[aid])
        anchor = "middle" if len(ids) == 1 or abs(c) < 0.35 else ("start" if c > 0 else "end")
        lx = x + (0 if anchor == "middle" else (19 if c > 0 else -19))
        ly = y + 4 + (0 if anchor != "middle" else (28 if sn >= 0 or len(ids) == 1 else -22))
        h.append(f'<a href="#art-{esc(aid)}"><circle class="g{g % 8}" cx="{x:.1f}" cy="{y:.1f}" '
                 f'r="13"><title>{esc(aid)} (source {g + 1})</title></circle></a>'
                 f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
                 f"{esc(_label(aid, articles))}</text>")
    h.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch g{g % 8}"></span>source {g + 1}: '
        f'{", ".join(esc(_label(a, articles, 40)) for a in members)}</li>'
        for g, members in enumerate(story.source_groups))
    return ('<figure class="chart">' + "".join(h) + "<figcaption>Articles coloured by independent "
            "source; lines join articles that share text (solid: copy, dashed: shared quote, "
            f"dotted: shared wire copy).</figcaption><ul>{legend}</ul></figure>")


# --- story --------------------------------------------------------------------------------------

def story_section(story: Story, articles: Mapping[str, Article] | None = None) -> str:
    """Everything a story holds, as one ``<section>``; ``articles`` (by id) adds source names,
    publication dates and the source graph."""
    articles = articles or {}
    dates = sorted(a.published for aid in story.articles
                   if (a := articles.get(aid)) is not None and a.published)
    n_src = len(story.source_groups)
    h = [f'<section class="story" id="story-{esc(story.id)}">',
         f"<h1>{esc(story.title)}</h1>",
         f'<p class="meta"><span class="pill">{len(story.articles)} articles</span>'
         + (f'<span class="pill">{n_src} independent sources</span>' if n_src else "")
         + (f'<span class="pill">{esc(dates[0])}{" – " + esc(dates[-1]) if dates[-1] != dates[0] else ""}'
            "</span>" if dates else "")
         + f'<span class="pill">story {esc(story.id)}</span></p>']
    number = numbering(story)
    colours = outlet_classes(articles)

    def cites(spans) -> str:
        return cite_links(spans, number, articles)
    if story.summary:
        h.append('<h2 id="summary">Summary</h2><ul class="summary">')
        h += [f"<li>{esc(s.text)}{cites(s.citations)}</li>" for s in story.summary]
        h.append("</ul>")
    if len(story.events) > 1:
        h.append('<h2 id="developments">Developments</h2><ol class="developments">')
        for ev in story.events:
            when = esc(ev.first or "undated") + (f" – {esc(ev.last)}" if ev.last and ev.last != ev.first else "")
            refs = "".join(f'<a class="src-ref" href="#src-{esc(story.id)}-{number[a]}">[{number[a]}]</a>'
                           for a in sorted(ev.articles, key=lambda x: number.get(x, 0)) if a in number)
            h.append(f'<li><span class="meta">{when}</span> {esc(ev.title)} '
                     f'<span class="meta">({len(ev.articles)} article{"s" if len(ev.articles) != 1 else ""})'
                     f"</span>{refs}</li>")
        h.append("</ol>")
    if story.conflicts:
        h.append('<h2 id="conflicts">Where sources disagree</h2>')
        for c in story.conflicts:
            h.append(f'<div class="conflict"><h3>{esc(c.topic)}</h3>')
            if c.note:
                h.append(f"<p>{esc(c.note)}</p>")
            h.append('<table class="sides"><tr><th>says</th><th>who</th><th>in their words</th></tr>')
            for side in conflict_sides(c):
                spans = [Span(cl.article, cl.start, cl.end, cl.text) for cl in side.claims]
                who = outlet_chips(side.articles, articles, colours)
                words = "<br>".join(dict.fromkeys(f"“{esc(cl.text)}”" for cl in side.claims))
                h.append(f'<tr><td class="value">{esc(side.value)}</td><td>{who}</td>'
                         f"<td>{words}{cites(spans)}</td></tr>")
            h.append("</table></div>")
    if story.updates:
        h.append('<h2 id="updates">Figures that changed</h2>')
        for u in story.updates:
            h.append(f'<div class="conflict update"><h3>{esc(u.what)}</h3>{update_svg(u)}'
                     '<div class="claims">')
            for p in u.series:
                sp = Span(p.article, p.start, p.end, p.text)
                h.append(f'<div class="claim"><div class="value">{esc(p.value)}</div>'
                         f'<div class="who">{esc((p.published or "")[:10])} · '
                         f'{esc(_label(p.article, articles, 40))}</div>'
                         f"<div>“{esc(p.text)}”{cites([sp])}</div></div>")
            h.append("</div></div>")
    if story.event:
        e = story.event
        h.append('<h2 id="event">Event record</h2><table>')
        for k in ("type", "date", "location", "actors", "targets", "killed", "injured", "claimed_by"):
            v = getattr(e, k)
            v = ", ".join(v) if isinstance(v, tuple) else v
            h.append(f"<tr><th>{esc(k)}</th><td>{esc(v if v not in (None, '') else '—')}</td></tr>")
        h.append("</table>")
    if story.timeline:
        h.append('<h2 id="timeline">Timeline</h2>')
        h.append(timeline_svg(story, articles))
        h.append("<table>")
        h += [f'<tr id="tl-{i}"><td>{esc(t.date)}</td><td>{esc(t.text)}{cites(t.citations)}'
              "</td></tr>" for i, t in enumerate(story.timeline)]
        h.append("</table>")
    if story.facts:
        h.append('<h2 id="facts">Facts</h2><table><tr><th>status</th><th>sources</th>'
                 "<th>statement</th></tr>")
        h += [f'<tr><td>{esc(f.status)}</td><td class="num">{_sources_cell(f)}</td>'
              f"<td>{esc(f.statement)}{cites(f.support)}</td></tr>" for f in story.facts]
        h.append("</table>")
    if story.quotes:
        h.append('<h2 id="quotes">Quotes</h2>')
        for who, groups in grouped_quotes(story.quotes):
            n_art = len({a for g in groups for a in g.articles})
            h.append(f'<h3>{esc(who or "Unattributed")} <span class="meta">({len(groups)} '
                     f'quote{"s" if len(groups) != 1 else ""}, {n_art} article'
                     f'{"s" if n_art != 1 else ""})</span></h3><ul class="quotes">')
            for g in groups:
                via = (f' <span class="meta">(via {esc(", ".join(g.reported_by))})</span>'
                       if g.reported_by else "")
                h.append(f"<li>“{esc(g.text)}”{via}{cites(g.spans)}</li>")
            h.append("</ul>")
    if story.entities:
        h.append('<h2 id="entities">Entities</h2><table><tr><th>name</th><th>type</th>'
                 "<th>also</th><th>articles</th><th>mentions</th></tr>")
        for e in sorted(story.entities, key=lambda e: -e.mentions):
            al = ", ".join(a for a in e.aliases if a != e.name)
            h.append(f"<tr><td>{esc(e.name)}</td><td>{esc(e.type)}</td><td>{esc(al)}</td>"
                     f'<td class="num">{len(e.articles)}</td><td class="num">{int(e.mentions)}</td></tr>')
        h.append("</table>")
    h.append('<h2 id="sources">Sources and copies</h2>')
    h.append(sources_list(story, number, articles, colours))
    h.append(sources_svg(story, articles))
    if story.reuse:
        h.append("<ul>")
        h += [f"<li>[{number.get(r.articles[0], esc(r.articles[0]))}] ↔ "
              f"[{number.get(r.articles[1], esc(r.articles[1]))}]: {esc(r.kind)}, "
              f"{r.share:.0%} shared</li>" for r in story.reuse]
        h.append("</ul>")
    h.append("</section>")
    return "\n".join(h)


# --- articles -----------------------------------------------------------------------------------

def _removed_at(a: Article) -> list[tuple[int, Removed]]:
    """Where each removed piece stood, as an offset into the cleaned text, through the segments
    that map cleaned text back to the raw input. Pieces with no known place go first."""
    segs = sorted(a.segments, key=lambda s: s.raw_start)
    out = []
    for r in a.removed:
        pos = 0
        if r.raw_start is not None and segs:
            pos = len(a.text)
            for s in segs:
                if r.raw_start < s.raw_start:
                    pos = s.start
                    break
                if r.raw_start < s.raw_start + s.length:
                    pos = s.start + (r.raw_start - s.raw_start)
                    break
        out.append((pos, r))
    return sorted(out, key=lambda pr: pr[0])


def article_text(a: Article, show_removed: bool = False) -> str:
    """The cleaned text as ``.kept`` chunks (``data-start``: offset of the chunk, so citations
    can be highlighted), with what cleaning removed as greyed ``.removed`` pieces in place."""
    pieces = _removed_at(a) if show_removed else []
    out, at = [], 0
    for pos, r in pieces + [(len(a.text), None)]:
        if pos > at:
            out.append(f'<span class="kept" data-start="{at}">{esc(a.text[at:pos])}</span>')
            at = pos
        if r is not None:
            tip = f"{r.kind}: {r.reason}" if r.reason else r.kind
            line = " line" if r.kind != "dateline" else ""  # whole lines, but for datelines
            out.append(f'<span class="removed{line}" data-kind="{esc(r.kind)}" title="removed by '
                       f'cleaning ({esc(tip)})">{esc(r.text.strip())}</span>')
    return (f'<div class="body" id="body-{esc(a.id)}" data-article="{esc(a.id)}">'
            + "".join(out) + "</div>")


def article_meta(a: Article) -> str:
    meta = " · ".join(esc(x) for x in (a.source, a.author, a.published, a.dateline, a.language) if x)
    url = safe_url(a.url)
    return (f'<p class="meta">{esc(a.id)}{" · " + meta if meta else ""}'
            + (f' · <a href="{esc(url)}" rel="noopener noreferrer nofollow">original</a>'
               if url else "") + "</p>")


def article_block(a: Article, link: Linker = None) -> str:
    """One source article on a story page: folded text the citations open and highlight."""
    removed = "".join(f'<div class="removed" title="{esc(r.kind)}">[{esc(r.kind)}] {esc(r.text)}</div>'
                      for r in a.removed)
    page = f' · <a href="{esc(link(a.id))}">article page</a>' if link else ""
    return (f'<article class="src" id="art-{esc(a.id)}"><h3>{esc(a.title or a.id)}</h3>'
            + article_meta(a).replace("</p>", page + "</p>")
            + f"<details><summary>text</summary>{article_text(a)}"
            + (f'<details class="removed-list"><summary>removed by cleaning ({len(a.removed)})'
               f"</summary>{removed}</details>" if a.removed else "")
            + "</details></article>")


def story_main(story: Story, articles: Sequence[Article], link: Linker = None) -> str:
    """The story page's content: the story, then its source articles (which citations open)."""
    by_id = {a.id: a for a in articles}
    mine = [by_id[aid] for aid in story.articles if aid in by_id]
    return (story_section(story, by_id) + f'\n<h2 id="articles">Articles ({len(mine)})</h2>\n'
            + "\n".join(article_block(a, link) for a in mine))


# --- the self-contained report ------------------------------------------------------------------

def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def standalone(title: str, body: str) -> str:
    """A whole HTML document with the story CSS and JS inlined. The CSP allows exactly those two
    (by hash) and nothing from anywhere else."""
    css, js = asset("story.css"), asset("story.js")
    csp = (f"default-src 'none'; style-src {_sha256(css)}; script-src {_sha256(js)}; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(title)}</title>", f"<style>{css}</style></head><body><main>",
        body, f"<script>{js}</script></main></body></html>"]) + "\n"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML file: each story's page, then any articles no story
    holds, then the problems."""
    parts = [story_main(s, report.articles) for s in report.stories]
    placed = {aid for s in report.stories for aid in s.articles}
    rest = [a for a in report.articles if a.id not in placed]
    if rest:
        parts.append(f'<h2 id="articles">Articles ({len(rest)})</h2>')
        parts += [article_block(a) for a in rest]
    if report.problems:
        parts.append(f'<h2 id="problems">Problems ({len(report.problems)})</h2><ul class="problems">')
        parts += [f"<li><code>{esc(p.input)}</code> ({esc(p.kind)}): {esc(p.message)}</li>"
                  for p in report.problems]
        parts.append("</ul>")
    title = report.stories[0].title if report.stories else "newsweave report"
    return standalone(title, "\n".join(parts))
