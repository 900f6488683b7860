"""HTML pages: story list, search, story, article. Each page is built from the store by the
shared renderer (``render/html.py``) and kept in the page cache until the store changes."""

from __future__ import annotations

import re
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from ..model import Article, Story, from_dict
from ..render.html import article_meta, article_text, esc, story_main

router = APIRouter(include_in_schema=False)

HTML = "text/html; charset=utf-8"


def story_url(story_id: str) -> str:
    return "/stories/" + quote(story_id, safe="")


def article_url(article_id: str) -> str:
    return "/articles/" + quote(article_id, safe="")


def page(title: str, body: str, query: str = "") -> bytes:
    """The page shell: our own CSS and script from /static/ (the CSP allows nothing else)."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">
<title>{esc(title)} · newsweave</title>
<link rel="stylesheet" href="/static/story.css"><link rel="stylesheet" href="/static/web.css">
<script src="/static/story.js" defer></script></head>
<body><header class="top"><nav><a class="brand" href="/">newsweave</a><a href="/">Stories</a>
<a href="/docs">API</a><form action="/search" method="get" role="search">
<input type="search" name="q" value="{esc(query)}" placeholder="Search articles and facts"
aria-label="Search articles and facts" maxlength="500"><button type="submit">Search</button>
</form></nav></header>
<main>
{body}
</main></body></html>
""".encode()


def html(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type=HTML)


def _state(request: Request):
    return request.app.state.web


def _pill(text: object) -> str:
    return f'<span class="pill">{esc(text)}</span>'


def list_page(rows: list[dict], order: str, limit: int) -> bytes:
    other = {"newest": "sources", "sources": "newest"}[order]
    label = {"newest": "newest first", "sources": "most independent sources first"}
    h = [f"<h1>Stories <span class=\"meta\">({len(rows)})</span></h1>",
         (f'<p class="meta">Sorted {label[order]} · <a id="order" href="/?'
          f'{urlencode({"order": other, "n": limit})}">sort {label[other]}</a></p>')]
    if not rows:
        h.append('<p>No stories yet. Add articles with <code>newsweave ingest PATH --db FILE</code> '
                 "or <code>POST /api/ingest</code>.</p>")
    else:
        h.append('<table class="stories"><tr><th>story</th><th>sources</th><th>articles</th>'
                 "<th>dates</th></tr>")
        for r in rows:
            dates = " – ".join(dict.fromkeys(d for d in (r["first_published"], r["last_published"]) if d))
            h.append(f'<tr><td><a href="{esc(story_url(r["id"]))}">{esc(r["title"])}</a></td>'
                     f'<td class="num">{int(r["n_sources"])}</td><td class="num">{int(r["n_articles"])}'
                     f"</td><td>{esc(dates)}</td></tr>")
        h.append("</table>")
    return page("Stories", "\n".join(h))


def _snippet(text: str) -> str:
    """FTS snippets mark hits with [ and ]; shown as <mark> after escaping the text."""
    return re.sub(r"\[([^\[\]]*)\]", r"<mark>\1</mark>", esc(" ".join(str(text).split())))


def search_page(query: str, hits: list[dict]) -> bytes:
    h = [f"<h1>Search <span class=\"meta\">“{esc(query)}”, {len(hits)} results</span></h1>"]
    if not hits:
        h.append("<p>Nothing found. Words are ANDed; try fewer.</p>")
    h.append('<ul class="results">')
    for hit in hits:
        if hit["kind"] == "article":
            meta = " · ".join(esc(x) for x in (hit["id"], hit.get("published")) if x)
            h.append(f'<li><a href="{esc(article_url(hit["id"]))}">{esc(hit.get("title") or hit["id"])}'
                     f'</a> <span class="meta">article · {meta}</span><br>{_snippet(hit["snippet"])}</li>')
        else:
            h.append(f'<li><a href="{esc(story_url(hit["id"]))}#facts">{esc(hit["id"])}</a> '
                     f'<span class="meta">fact</span><br>{_snippet(hit["snippet"])}</li>')
    h.append("</ul>")
    return page(f"Search: {query}", "\n".join(h), query=query)


def story_page(story: Story, articles: list[Article]) -> bytes:
    return page(story.title, story_main(story, articles, link=article_url))


def article_page(a: Article, record: dict, stories: list[dict]) -> bytes:
    h = [f'<article class="page" id="art-{esc(a.id)}"><h1>{esc(a.title or a.id)}</h1>',
         article_meta(a)]
    if stories:
        h.append('<p class="meta">In: ' + ", ".join(
            f'<a href="{esc(story_url(s["id"]))}">{esc(s["title"])}</a>' for s in stories) + "</p>")
    if record.get("version_of"):
        h.append(f'<p class="meta">Version {int(record["version"])} of '
                 f'<a href="{esc(article_url(record["version_of"]))}">{esc(record["version_of"])}</a></p>')
    kinds = sorted({r.kind for r in a.removed})
    h.append(f'<p class="meta legend">{len(a.removed)} pieces removed by cleaning'
             + (f' ({esc(", ".join(kinds))}), shown <span class="removed-sample">greyed out</span> '
                "where they stood" if a.removed else "") + f'. <a href="/api/articles/'
             f'{esc(quote(a.id, safe=""))}">JSON</a></p>')
    h.append(article_text(a, show_removed=True))
    h.append("</article>")
    return page(a.title or a.id, "\n".join(h))


async def cached(request: Request, key: tuple, build) -> bytes | None:
    """A page from the cache, served on the event loop; a miss is built in a worker thread
    (SQLite and rendering block) and cached until the store changes."""
    web = _state(request)
    generation = web.reader.generation()
    hit = web.cache.peek(generation, key)
    if hit is not None:
        return hit
    return await run_in_threadpool(web.cache.get, generation, key, build)


@router.get("/")
async def stories_list(request: Request, order: str = Query("newest", pattern="^(newest|sources)$"),
                       n: int = Query(50, ge=1, le=1000)):
    reader = _state(request).reader
    return html(await cached(request, ("list", order, n),
                             lambda: list_page(reader.store().stories(order, n), order, n)))


@router.get("/search")
async def search(request: Request, q: str = Query("", max_length=500),
                 n: int = Query(50, ge=1, le=500)):
    reader = _state(request).reader
    return html(await cached(request, ("search", q, n), lambda: search_page(
        q, reader.store().search(q, n) if q.strip() else [])))


@router.get("/stories/{story_id}")
async def story(request: Request, story_id: str):
    reader = _state(request).reader

    def build():
        st = reader.store()
        data = st.story(story_id)
        if data is None:
            return None
        s = from_dict(Story, data)
        return story_page(s, st.load_articles(s.articles))

    body = await cached(request, ("story", story_id), build)
    if body is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return html(body)


@router.get("/articles/{article_id:path}")
async def article(request: Request, article_id: str):
    reader = _state(request).reader

    def build():
        st = reader.store()
        found = st.load_articles([article_id])
        record = st.article(article_id)
        if not found or record is None:
            return None
        return article_page(found[0], record, st.stories_of(article_id))

    body = await cached(request, ("article", article_id), build)
    if body is None:
        raise HTTPException(404, f"no article {article_id!r}")
    return html(body)


def error_page(status: int, detail: str) -> Response:
    return html(page(f"{status}", f"<h1>{status}</h1><p>{esc(detail)}</p>"
                     '<p><a href="/">All stories</a></p>'), status=status)
