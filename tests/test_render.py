"""Renderers: article text never becomes markup, and the HTML report is self-contained."""

import html
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


def test_html_citations_are_numbers_with_a_sources_legend(example_report):
    page = render_html(example_report)
    story = example_report.stories[0]
    summary = page.split('<ul class="summary">', 1)[1].split("</ul>", 1)[0]
    labels = re.findall(r'<a class="cite"[^>]*>([^<]*)</a>', summary)
    assert labels and all(re.fullmatch(r"\[\d+\]", lab) for lab in labels), labels
    legend = page.split('<ol class="sources-list">', 1)[1].split("</ol>", 1)[0]
    items = re.findall(r'<li value="(\d+)"', legend)
    assert [int(n) for n in items] == list(range(1, len(story.articles) + 1))
    by_id = {a.id: a for a in example_report.articles}
    for n, aid in enumerate(story.articles, 1):  # each number names its outlet
        item = legend.split(f'<li value="{n}"', 1)[1].split("</li>", 1)[0]
        assert by_id[aid].source is None or by_id[aid].source in item
    # a citation carries the exact cited words, for the script to show in place
    span = story.summary[0].citations[0]
    assert f'data-text="{html.escape(span.text, quote=True)}"' in page


def _quote(text, speaker, article, reported_by=None):
    from newsweave.model import Quote

    return Quote(text, speaker, None, reported_by, article, 0, len(text))


def test_quotes_grouped_by_speaker_each_once_with_all_articles():
    from newsweave.render.brief import grouped_quotes

    quotes = [_quote("We will rebuild, and we will rebuild faster than before", "Ana Ruiz", "a"),
              _quote("we will rebuild, and we will rebuild faster", "Ana Ruiz", "b", "BBC"),
              _quote("We will rebuild, and we will rebuild faster than before", "Ana Ruiz", "c"),
              _quote("No comment", None, "a"),
              _quote("The tanks held", "Marc Feld", "c")]
    groups = grouped_quotes(quotes)
    assert [who for who, _ in groups] == ["Ana Ruiz", "Marc Feld", None]
    (ruiz,) = groups[0][1]
    assert ruiz.text == "We will rebuild, and we will rebuild faster than before"  # the longest
    assert ruiz.articles == ("a", "b", "c") and ruiz.reported_by == ("BBC",)


def test_conflict_sides_one_row_per_value():
    from newsweave.model import Conflict, ConflictClaim
    from newsweave.render.brief import conflict_sides

    c = Conflict("number of people killed", (
        ConflictClaim(113, "113 people died", "a", 0, 15), ConflictClaim(114, "114 dead", "b", 0, 8),
        ConflictClaim(113, "killing 113", "c", 0, 11)))
    sides = conflict_sides(c)
    assert [(s.value, s.articles) for s in sides] == [(113, ("a", "c")), (114, ("b",))]


def test_an_update_is_drawn_as_a_series_on_a_time_axis():
    from newsweave.model import Update, UpdatePoint
    from newsweave.render.html import update_svg

    u = Update("death toll", (UpdatePoint(81, "81 dead", "a", 0, 7, "2024-08-08"),
                              UpdatePoint(120, "120 dead", "b", 0, 8, "2024-08-09"),
                              UpdatePoint(257, "257 dead", "c", 0, 8, "2024-08-13")))
    svg = update_svg(u)
    xs = [float(x) for x in re.findall(r'<circle class="dot" cx="([\d.]+)"', svg)]
    assert len(xs) == 3 and xs[0] < xs[1] < xs[2]
    assert abs((xs[1] - xs[0]) * 4 - (xs[2] - xs[1])) < 1  # 1 day then 4 days: to scale
    for label in ("81", "120", "257", "2024-08-13"):  # values and dates always written
        assert f">{label}</text>" in svg
    assert update_svg(Update("x", (UpdatePoint(1, "one", "a", 0, 3, None),))) == ""


def test_streamed_json_is_the_text_of_one_dump(example_report):
    """write_json writes the long lists an element at a time; the text is what one json.dumps of
    the whole report gives, for a full report and for one with empty lists."""
    import io

    from newsweave.model import Report
    from newsweave.render.json import report_dict, write_json

    for report in (example_report, Report((), (), (), inputs=0)):
        buf = io.StringIO()
        write_json(report, buf)
        assert buf.getvalue() == json.dumps(report_dict(report), ensure_ascii=False,
                                            indent=2) + "\n"
    assert json.loads(buf.getvalue())["articles"] == []
