"""The report as Markdown: a brief per story, its citations numbered ([1], [2]) against the
story's list of sources (outlet, date, title, id, copies), conflicts one line per side, quotes
by speaker with repeats folded (``brief.py``), then all articles and problems."""

from __future__ import annotations

from ..model import Article, Report, Story
from .brief import conflict_sides, grouped_quotes, numbering


def fact_sources(fact) -> str:
    """"consensus, 3 independent, 2 outlets; alleged": status, source counts, and the modality
    when the statement is not stated outright."""
    out = f"{fact.status}, {fact.independent_sources} independent"
    if fact.upstream_sources is not None:
        n = fact.upstream_sources
        out += f", {n} outlet{'s' if n != 1 else ''}"
    if fact.frame is not None and fact.frame.modality != "asserted":
        out += f"; {fact.frame.modality}"
    return out


def _md(text: str) -> str:
    """Escape Markdown control characters and flatten newlines."""
    text = " ".join(str(text).split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


def _cite(spans, number: dict[str, int]) -> str:
    """' [1][3]': each cited article once, by its number in the story's sources list."""
    ids: list[str] = []
    for sp in spans:
        if sp.article not in ids:
            ids.append(sp.article)
    ids.sort(key=lambda i: (number.get(i, len(number) + 1), i))
    return " " + "".join(_ref(i, number) for i in ids) if ids else ""


def _ref(article: str, number: dict[str, int]) -> str:
    return f"[{number[article]}]" if article in number else f"[{_md(article)}]"


def _sources(story: Story, number: dict[str, int], articles: dict[str, Article] | None,
             out: list[str]) -> None:
    """The numbered sources of a story: outlet, date, title and id, and which copy each is."""
    group = {aid: k for k, g in enumerate(story.source_groups) for aid in g}
    copies = {k: g for k, g in enumerate(story.source_groups) if len(g) > 1}
    out.append("### Sources\n")
    for aid, n in number.items():
        a = (articles or {}).get(aid)
        parts = [_md(a.source) if a is not None and a.source else "outlet not given"]
        if a is not None and a.published:
            parts.append(a.published[:10])
        if a is not None and a.title:
            parts.append(f"“{_md(a.title)}”")
        parts.append(f"id {_md(aid)}")
        k = group.get(aid)
        if k in copies:
            others = ", ".join(f"[{number[o]}]" for o in copies[k] if o != aid and o in number)
            parts.append(f"same text as {others}: one source")
        out.append(f"- [{n}] " + " · ".join(parts))
    out.append("")


def _story(story: Story, out: list[str], articles: dict[str, Article] | None = None) -> None:
    number = numbering(story)
    out.append(f"## {_md(story.title)}\n")
    out.append(f"Story `{story.id}` · {len(story.articles)} articles"
               + (f" · {len(story.source_groups)} independent sources" if story.source_groups else "")
               + "\n")
    if story.summary:
        out.append("### Summary\n")
        for s in story.summary:
            out.append(f"- {_md(s.text)}{_cite(s.citations, number)}")
        out.append("")
    if len(story.events) > 1:
        out.append("### Developments\n")
        for ev in story.events:
            when = (ev.first or "undated") + (f" – {ev.last}" if ev.last and ev.last != ev.first else "")
            refs = "".join(_ref(a, number) for a in sorted(ev.articles, key=lambda x: number.get(x, 0)))
            out.append(f"- {when}: {_md(ev.title)} {refs}")
        out.append("")
    if story.conflicts:
        out.append("### Where sources disagree\n")
        for c in story.conflicts:
            out.append(f"- **{_md(c.topic)}**" + (f": {_md(c.note)}" if c.note else ""))
            for side in conflict_sides(c):
                texts = "; ".join(dict.fromkeys(f"“{_md(cl.text)}”" for cl in side.claims))
                out.append(f"  - **{_md(side.value)}**: {texts}{_cite(side.claims, number)}")
        out.append("")
    if story.updates:
        out.append("### Figures that changed\n")
        for u in story.updates:
            steps = " → ".join(f"{_md(p.value)} ({_md((p.published or '')[:10])}) {_ref(p.article, number)}"
                               for p in u.series)
            out.append(f"- **{_md(u.what)}**: {steps}")
        out.append("")
    if story.facts:
        out.append("### Facts\n")
        for f in story.facts:
            out.append(f"- ({fact_sources(f)}) {_md(f.statement)}{_cite(f.support, number)}")
        out.append("")
    if story.timeline:
        out.append("### Timeline\n")
        for t in story.timeline:
            out.append(f"- **{t.date}** {_md(t.text)}{_cite(t.citations, number)}")
        out.append("")
    if story.quotes:
        out.append("### Quotes\n")
        for speaker, groups in grouped_quotes(story.quotes):
            out.append(f"- **{_md(speaker or 'Unattributed')}**")
            for g in groups:
                via = f" (via {_md(', '.join(g.reported_by))})" if g.reported_by else ""
                out.append(f"  - “{_md(g.text)}”{via}{_cite(g.spans, number)}")
        out.append("")
    if story.entities:
        out.append("### Entities\n")
        for e in story.entities:
            al = ", ".join(_md(a) for a in e.aliases if a != e.name)
            out.append(f"- **{_md(e.name)}** ({e.type}, {e.mentions} mentions)"
                       + (f": also {al}" if al else ""))
        out.append("")
    if story.reuse:
        out.append("### Copied text\n")
        for r in story.reuse:
            out.append(f"- {_ref(r.articles[0], number)} ↔ {_ref(r.articles[1], number)}: {r.kind}, "
                       f"{r.share:.0%} of the shorter article")
        out.append("")
    if number:
        _sources(story, number, articles, out)


def story_markdown(story: Story) -> str:
    """One story's brief as Markdown."""
    out: list[str] = []
    _story(story, out)
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    out = ["# newsweave report\n",
           f"{len(report.articles)} articles, {len(report.stories)} stories, "
           f"{len(report.problems)} problems.\n"]
    by_id = {a.id: a for a in report.articles}
    for story in report.stories:
        _story(story, out, by_id)
    out.append("## Sources\n")
    out.append("| id | outlet | published | title |\n|---|---|---|---|")
    for a in report.articles:
        out.append(f"| {_md(a.id)} | {_md(a.source or '')} | {a.published or ''} "
                   f"({a.published_from or '-'}) | {_md(a.title or '')} |")
    out.append("")
    if report.problems:
        out.append("## Problems\n")
        for p in report.problems:
            out.append(f"- `{_md(p.input)}` ({p.kind}): {_md(p.message)}")
        out.append("")
    return "\n".join(out) + "\n"
