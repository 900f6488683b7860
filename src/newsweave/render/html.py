"""The report as one self-contained HTML file: inline CSS and JS, no network, all text escaped.

Every string that comes from an article goes through ``esc`` (html.escape with quotes), and no
article text ever reaches an attribute other than as escaped text, so a ``<script>`` in an article
renders as visible characters. Citations link to the cited span, which is highlighted on click.
"""

from __future__ import annotations

from html import escape

from ..model import Article, Report, Span, Story

CSS = """
:root{--fg:#1d2330;--muted:#667085;--line:#e4e7ec;--accent:#1849a9;--warn:#b42318;--bg:#fff;
--mark:#fff3a3;--soft:#f6f7f9}
*{box-sizing:border-box}body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:1080px;margin:0 auto;padding:24px}
h1{font-size:1.7rem;margin:.2em 0}h2{font-size:1.25rem;margin-top:2em;border-bottom:1px solid
var(--line);padding-bottom:.3em}h3{font-size:1.05rem}
.meta{color:var(--muted);font-size:.9rem}.pill{display:inline-block;padding:0 .5em;border-radius:9px;
background:var(--soft);border:1px solid var(--line);font-size:.8rem;margin-right:.3em}
.cite{font-size:.75rem;vertical-align:super;text-decoration:none;color:var(--accent);margin-left:1px}
.cite:hover{text-decoration:underline}
.conflict{border-left:4px solid var(--warn);padding:.2em 1em;margin:1em 0;background:#fffbfa}
.claims{display:grid;grid-template-columns:repeat(auto-fit,minmax(220px,1fr));gap:.6em}
.claim{border:1px solid var(--line);border-radius:6px;padding:.5em;background:#fff}
.value{font-weight:600}
table{border-collapse:collapse;width:100%;font-size:.92rem}td,th{border-bottom:1px solid var(--line);
padding:.35em .5em;text-align:left;vertical-align:top}
article.src{border:1px solid var(--line);border-radius:8px;padding:1em 1.2em;margin:1em 0}
article.src .body{white-space:pre-wrap}
.removed{color:#98a2b3;font-size:.85rem;white-space:pre-wrap;border-left:3px solid var(--line);
padding-left:.6em;margin:.3em 0}
mark.hl{background:var(--mark);outline:2px solid #f5c400}
details>summary{cursor:pointer;color:var(--accent)}
.problems li{color:var(--warn)}
"""

JS = """
document.addEventListener('click', function (ev) {
  var a = ev.target.closest('a.cite');
  if (!a) return;
  ev.preventDefault();
  highlight(a.getAttribute('data-article'), +a.getAttribute('data-start'), +a.getAttribute('data-end'));
});
function highlight(id, start, end) {
  document.querySelectorAll('mark.hl').forEach(function (m) {
    var t = document.createTextNode(m.textContent); m.replaceWith(t); t.parentNode.normalize();
  });
  var body = document.getElementById('body-' + id);
  if (!body) return;
  var det = body.closest('details'); if (det) det.open = true;
  var text = body.firstChild;
  if (!text || text.nodeType !== 3) return;
  var range = document.createRange();
  range.setStart(text, start); range.setEnd(text, Math.min(end, text.length));
  var mark = document.createElement('mark'); mark.className = 'hl';
  range.surroundContents(mark);
  mark.scrollIntoView({block: 'center'});
}
"""


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def cite_links(spans: tuple[Span, ...] | list[Span]) -> str:
    out = []
    for sp in spans:
        out.append(
            f'<a class="cite" href="#art-{esc(sp.article)}" data-article="{esc(sp.article)}" '
            f'data-start="{int(sp.start)}" data-end="{int(sp.end)}" title="{esc(sp.text)}">'
            f"[{esc(sp.article)}]</a>"
        )
    return "".join(out)


def story_section(story: Story) -> str:
    h = [f'<section class="story" id="story-{esc(story.id)}">',
         f"<h1>{esc(story.title)}</h1>",
         f'<p class="meta"><span class="pill">{len(story.articles)} articles</span>'
         + (f'<span class="pill">{len(story.source_groups)} independent sources</span>'
            if story.source_groups else "")
         + f'<span class="pill">story {esc(story.id)}</span></p>']
    if story.summary:
        h.append("<h2>Summary</h2><ul>")
        h += [f"<li>{esc(s.text)}{cite_links(s.citations)}</li>" for s in story.summary]
        h.append("</ul>")
    if story.conflicts:
        h.append("<h2>Where sources disagree</h2>")
        for c in story.conflicts:
            h.append(f'<div class="conflict"><h3>{esc(c.topic)}</h3>')
            if c.note:
                h.append(f"<p>{esc(c.note)}</p>")
            h.append('<div class="claims">')
            for cl in c.claims:
                sp = Span(cl.article, cl.start, cl.end, cl.text)
                h.append(f'<div class="claim"><div class="value">{esc(cl.value)}</div>'
                         f"<div>“{esc(cl.text)}”{cite_links([sp])}</div></div>")
            h.append("</div></div>")
    if story.event:
        e = story.event
        h.append("<h2>Event record</h2><table>")
        for k in ("type", "date", "location", "actors", "targets", "killed", "injured", "claimed_by"):
            v = getattr(e, k)
            v = ", ".join(v) if isinstance(v, tuple) else v
            h.append(f"<tr><th>{esc(k)}</th><td>{esc(v if v not in (None, '') else '—')}</td></tr>")
        h.append("</table>")
    if story.timeline:
        h.append("<h2>Timeline</h2><table>")
        h += [f"<tr><td>{esc(t.date)}</td><td>{esc(t.text)}{cite_links(t.citations)}</td></tr>"
              for t in story.timeline]
        h.append("</table>")
    if story.facts:
        h.append("<h2>Facts</h2><table><tr><th>status</th><th>sources</th><th>statement</th></tr>")
        h += [f"<tr><td>{esc(f.status)}</td><td>{f.independent_sources}</td>"
              f"<td>{esc(f.statement)}{cite_links(f.support)}</td></tr>" for f in story.facts]
        h.append("</table>")
    if story.quotes:
        h.append("<h2>Quotes</h2>")
        by: dict[str, list] = {}
        for q in story.quotes:
            by.setdefault(q.speaker or "Unattributed", []).append(q)
        for who, qs in by.items():
            h.append(f"<h3>{esc(who)}</h3><ul>")
            for q in qs:
                via = f' <span class="meta">(via {esc(q.reported_by)})</span>' if q.reported_by else ""
                sp = Span(q.article, q.start, q.end, q.text)
                h.append(f"<li>“{esc(q.text)}”{via}{cite_links([sp])}</li>")
            h.append("</ul>")
    if story.entities:
        h.append("<h2>Entities</h2><table><tr><th>name</th><th>type</th><th>also</th>"
                 "<th>mentions</th></tr>")
        for e in story.entities:
            al = ", ".join(a for a in e.aliases if a != e.name)
            h.append(f"<tr><td>{esc(e.name)}</td><td>{esc(e.type)}</td><td>{esc(al)}</td>"
                     f"<td>{e.mentions}</td></tr>")
        h.append("</table>")
    if story.reuse:
        h.append("<h2>Copied text</h2><ul>")
        h += [f"<li>{esc(r.articles[0])} ↔ {esc(r.articles[1])}: {esc(r.kind)}, "
              f"{r.share:.0%} shared</li>" for r in story.reuse]
        h.append("</ul>")
    h.append("</section>")
    return "\n".join(h)


def article_block(a: Article) -> str:
    meta = " · ".join(esc(x) for x in (a.source, a.published, a.dateline, a.language) if x)
    removed = "".join(f'<div class="removed" title="{esc(r.kind)}">[{esc(r.kind)}] {esc(r.text)}</div>'
                      for r in a.removed)
    return (f'<article class="src" id="art-{esc(a.id)}"><h3>{esc(a.title or a.id)}</h3>'
            f'<p class="meta">{esc(a.id)}{" · " + meta if meta else ""}'
            + (f' · <a href="{esc(a.url)}" rel="noopener noreferrer">link</a>'
               if a.url and a.url.lower().startswith(("http://", "https://")) else "")
            + f'</p><details><summary>text</summary><div class="body" id="body-{esc(a.id)}">'
            f"{esc(a.text)}</div>"
            + (f"<details><summary>removed by cleaning ({len(a.removed)})</summary>{removed}</details>"
               if a.removed else "")
            + "</details></article>")


def render_html(report: Report) -> str:
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             # No external anything: a strict CSP blocks every load but inline style and our script.
             "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
             "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">",
             f"<title>{esc(report.stories[0].title if report.stories else 'newsweave report')}</title>",
             f"<style>{CSS}</style></head><body><main>"]
    for story in report.stories:
        parts.append(story_section(story))
    parts.append(f"<h2>Sources ({len(report.articles)})</h2>")
    parts += [article_block(a) for a in report.articles]
    if report.problems:
        parts.append(f'<h2>Problems ({len(report.problems)})</h2><ul class="problems">')
        parts += [f"<li><code>{esc(p.input)}</code> ({esc(p.kind)}): {esc(p.message)}</li>"
                  for p in report.problems]
        parts.append("</ul>")
    parts.append(f"<script>{JS}</script></main></body></html>")
    return "\n".join(parts) + "\n"
