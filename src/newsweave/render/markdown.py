"""The report as Markdown: a brief per story, then sources and problems."""

from __future__ import annotations

from ..model import Report, Story


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


def _cite(spans) -> str:
    ids = []
    for sp in spans:
        if sp.article not in ids:
            ids.append(sp.article)
    return " " + "".join(f"[{_md(i)}]" for i in ids) if ids else ""


def _story(story: Story, out: list[str]) -> None:
    out.append(f"## {_md(story.title)}\n")
    out.append(f"Story `{story.id}` · {len(story.articles)} articles"
               + (f" · {len(story.source_groups)} independent sources" if story.source_groups else "")
               + "\n")
    if story.summary:
        out.append("### Summary\n")
        for s in story.summary:
            out.append(f"- {_md(s.text)}{_cite(s.citations)}")
        out.append("")
    if story.conflicts:
        out.append("### Where sources disagree\n")
        for c in story.conflicts:
            out.append(f"- **{_md(c.topic)}**" + (f": {_md(c.note)}" if c.note else ""))
            for cl in c.claims:
                out.append(f"  - {_md(cl.value)}: “{_md(cl.text)}” [{_md(cl.article)}]")
        out.append("")
    if story.updates:
        out.append("### Figures that changed\n")
        for u in story.updates:
            steps = " → ".join(f"{_md(p.value)} ({_md((p.published or '')[:10])}) [{_md(p.article)}]"
                               for p in u.series)
            out.append(f"- **{_md(u.what)}**: {steps}")
        out.append("")
    if story.facts:
        out.append("### Facts\n")
        for f in story.facts:
            out.append(f"- ({fact_sources(f)}) {_md(f.statement)}{_cite(f.support)}")
        out.append("")
    if story.timeline:
        out.append("### Timeline\n")
        for t in story.timeline:
            out.append(f"- **{t.date}** {_md(t.text)}{_cite(t.citations)}")
        out.append("")
    if story.quotes:
        out.append("### Quotes\n")
        for q in story.quotes:
            who = q.speaker or "unattributed"
            if q.reported_by:
                who += f" (via {q.reported_by})"
            out.append(f"- “{_md(q.text)}” — {_md(who)} [{_md(q.article)}]")
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
            out.append(f"- {_md(r.articles[0])} ↔ {_md(r.articles[1])}: {r.kind}, "
                       f"{r.share:.0%} of the shorter article")
        out.append("")


def story_markdown(story: Story) -> str:
    """One story's brief as Markdown."""
    out: list[str] = []
    _story(story, out)
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    out = ["# newsweave report\n",
           f"{len(report.articles)} articles, {len(report.stories)} stories, "
           f"{len(report.problems)} problems.\n"]
    for story in report.stories:
        _story(story, out)
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
