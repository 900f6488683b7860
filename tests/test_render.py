"""Renderers: article text never becomes markup, and the HTML report is self-contained."""

import json
import re

from newsweave.render import render_html, render_markdown

from .conftest import validated

EVIL = ('A story with <script>alert("x")</script> and <img src=x onerror="alert(1)"> inside it, '
        'and a <a href="javascript:alert(2)">link</a>. Officials said "it is <b>bold</b>" on Monday.')


def _report(tmp_path, pipeline):
    rec = {"id": "evil", "text": EVIL, "title": "<script>t()</script>", "source": "<i>Outlet</i>",
           "url": "javascript:alert(3)"}
    (tmp_path / "evil.jsonl").write_text(json.dumps(rec) + "\n")
    return validated(pipeline.run([str(tmp_path / "evil.jsonl")]))


def test_html_escapes_everything(tmp_path, pipeline):
    html = render_html(_report(tmp_path, pipeline))
    body = html.split("<script>", 1)[0] + html.rsplit("</script>", 1)[-1]
    assert "<script>alert" not in html and "<script>t()" not in html
    assert "onerror=\"alert" not in html and "<img" not in body
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;alert" in html
    assert len(re.findall(r"<script>", html)) == 1  # our own inline script only
    assert not re.search(r"""(src|href)=["']https?://""", html)  # nothing loaded from the network


def test_markdown_escapes_markup(tmp_path, pipeline):
    md = render_markdown(_report(tmp_path, pipeline))
    assert "<script>" not in md and "\\<script\\>" in md


def test_markdown_citations_are_numbers_with_a_sources_list(example_report):
    md = render_markdown(example_report)
    story = example_report.stories[0]
    summary = md.split("### Summary", 1)[1].split("###", 1)[0]
    assert re.search(r"\[\d\]", summary) and "harbor-times]" not in summary
    sources = md.split("### Sources", 1)[1].split("## Sources", 1)[0]
    lines = [ln for ln in sources.splitlines() if re.match(r"- \[\d+\] ", ln)]
    assert len(lines) == len(story.articles)
    by_id = {a.id: a for a in example_report.articles}
    for n, aid in enumerate(story.articles, 1):
        line = next(ln for ln in lines if ln.startswith(f"- [{n}] "))
        assert aid.replace("_", "\\_") in line and (by_id[aid].source or "outlet not given") in line
    assert "same text as" in sources  # the copy pair is shown as one source
