"""newsweave watch against a local HTTP server (127.0.0.1 only, tests/feed_server.py): feeds and
pages that change between polls, conditional GET, robots.txt, and every bad case a crawl meets."""

from __future__ import annotations

from email.utils import format_datetime
from datetime import datetime, timedelta, timezone

import pytest

from newsweave.feeds.fetch import Fetcher, Politeness
from newsweave.feeds.watch import Watcher
from newsweave.store import Store

from .feed_server import FeedSite, page_html, rss, serving

pytestmark = pytest.mark.integration

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _when(hours: int = 0) -> str:
    return format_datetime(DAY + timedelta(hours=hours))


@pytest.fixture
def env(tmp_path, pipeline):
    site = FeedSite()
    site.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    polite = Politeness(host_delay_s=0.0, retries=1, backoff_s=0.05, timeout_s=1.5,
                        max_bytes=200_000, max_redirects=3)
    with serving(site) as base, Store(tmp_path / "corpus.db") as store, Fetcher(polite) as fetcher:
        yield site, base, store, Watcher(store, pipeline, fetcher)


def _feed(site: FeedSite, base: str, f: int, pages: range, extra=()) -> None:
    items = [(f"{base}/f{f}/p{n}.html", f"Report {f}-{n}", _when(n)) for n in pages]
    for n in pages:
        site.set(f"/f{f}/p{n}.html", page_html(f, n))
    site.set(f"/feed{f}.xml", rss(f, items + list(extra)), "application/rss+xml")


def test_three_feeds_over_three_polls(env):
    site, base, store, watcher = env
    for f in range(3):
        _feed(site, base, f, range(20),
              extra=[(f"{base}/private/secret{f}.html", "Members only", None)] if f == 1 else ())
    feeds = [f"{base}/feed{f}.xml" for f in range(3)]

    first = watcher.poll(feeds)
    assert (first.feeds, len(first.new), len(first.updated)) == (3, 60, 0), first.line()
    assert [p.message for p in first.problems] == ["disallowed by robots.txt"]
    assert first.problems[0].input.endswith("/private/secret1.html")
    assert site.hits.get("/private/secret1.html", 0) == 0  # robots.txt honoured
    assert store.count("articles") == 60
    stored = store.article(next(iter(first.new)))
    assert stored["url"].startswith(base) and stored["source"] == "Outlet 0 news"

    hits = dict(site.hits)
    second = watcher.poll(feeds)  # nothing changed: three 304s and no page fetched
    assert (second.not_modified, len(second.new), len(second.updated)) == (3, 0, 0), second.line()
    assert {p: n - hits.get(p, 0) for p, n in site.hits.items() if n != hits.get(p, 0)} == {
        f"/feed{f}.xml": 1 for f in range(3)}

    # feed 0: two new entries, and entry 3 updated (a later date, its page rewritten)
    site.set("/f0/p3.html", page_html(0, 3, version=2))
    items = [(f"{base}/f0/p{n}.html", f"Report 0-{n}", _when(100 if n == 3 else n))
             for n in range(22)]
    for n in (20, 21):
        site.set(f"/f0/p{n}.html", page_html(0, n))
    site.set("/feed0.xml", rss(0, items), "application/rss+xml")
    third = watcher.poll(feeds)
    assert (third.not_modified, len(third.new), len(third.updated)) == (2, 2, 1), third.line()
    assert third.unchanged == 19 and not third.problems
    assert store.count("articles") == 63  # 60 + 2 new + 1 version (the first kept)
    assert site.hits["/f0/p5.html"] == 1  # an unchanged entry is never fetched twice
    # the stories of changed stories were recomputed: every stored article is in a story
    grouped = store.db.execute("SELECT COUNT(DISTINCT article_id) FROM story_articles").fetchone()[0]
    assert grouped >= 62


def test_each_bad_case_is_a_problem_and_the_poll_goes_on(env):
    site, base, store, watcher = env
    good = (f"{base}/ok.html", "Fine", None)
    site.set("/ok.html", page_html(5, 1))
    bad_pages = {
        "/gone.html": None,  # 404
        "/slow.html": page_html(5, 2),
        "/huge.html": "<html><body>" + "x" * 300_000 + "</body></html>",
        "/loop.html": "",
        "/doc.pdf": b"%PDF-1.4 binary",
    }
    site.set("/slow.html", bad_pages["/slow.html"])
    site.slow.add("/slow.html")
    site.set("/huge.html", bad_pages["/huge.html"])
    site.set("/loop.html", "", status=302, headers={"Location": "/loop.html"})
    site.set("/doc.pdf", bad_pages["/doc.pdf"], "application/pdf")
    items = [good, good] + [(f"{base}{p}", p, None) for p in bad_pages]  # good listed twice
    site.set("/feed.xml", rss(5, items), "application/rss+xml")
    site.set("/broken.xml", "<?xml version='1.0'?><rss><channel><item><title>oops", "application/rss+xml")
    site.set("/error.xml", "boom", "text/plain", status=500)

    res = watcher.poll([f"{base}/feed.xml", f"{base}/broken.xml", f"{base}/error.xml"])
    assert len(res.new) == 1 and site.hits["/ok.html"] == 1  # the good page, fetched once
    why = {p.input.rsplit("/", 1)[-1]: (p.kind, p.message) for p in res.problems}
    assert why["gone.html"] == ("missing", "HTTP 404")
    assert why["slow.html"][0] == "timeout"
    assert why["huge.html"][0] == "too_large"
    assert "redirect" in why["loop.html"][1]
    assert why["doc.pdf"] == ("binary", "not an HTML page (application/pdf)")
    assert why["broken.xml"][0] == "parse"
    assert why["error.xml"] == ("unreadable", "HTTP 500")
    assert site.hits["/error.xml"] == 2  # retried once
    assert res.failed_feeds == 2


def test_opml_and_a_site_that_announces_its_feed(env, tmp_path):
    site, base, store, watcher = env
    _feed(site, base, 7, range(2))
    _feed(site, base, 8, range(2))
    site.set("/", f'<html><head><link rel="alternate" type="application/rss+xml" '
                  f'href="/feed8.xml"></head><body>Home</body></html>')
    opml = tmp_path / "subs.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>'
                    f'<outline text="seven" xmlUrl="{base}/feed7.xml"/></body></opml>')
    res = watcher.poll([str(opml), f"{base}/"])
    assert len(res.new) == 4 and not res.problems, res.line()


def test_watch_command_once(env, tmp_path, capsys):
    from newsweave.cli import main

    site, base, _store, _watcher = env
    _feed(site, base, 9, range(2))
    cfg = tmp_path / "c.yaml"
    cfg.write_text("watch:\n  host_delay_s: 0\n  retries: 0\n")
    db = tmp_path / "cli.db"
    assert main(["watch", f"{base}/feed9.xml", "--db", str(db), "--once", "--config", str(cfg)]) == 0
    assert "poll 1: 1 feeds (0 not modified): 2 new" in capsys.readouterr().err
    assert main(["watch", f"{base}/nothing.xml", "--db", str(db), "--once", "--config", str(cfg)]) == 1
    assert main(["watch", "x", "--db", str(db), "--every", "soon", "--once"]) == 2
    assert "--every 'soon'" in capsys.readouterr().err


def test_a_site_without_a_feed_is_read_through_its_sitemap(env):
    site, base, store, watcher = env
    site.set("/robots.txt", f"User-agent: *\nDisallow: /private/\nSitemap: {base}/sitemap-index.xml\n",
             "text/plain")
    site.set("/", "<html><head><title>Home</title></head><body>No feed here</body></html>")
    for n in range(3):
        site.set(f"/news/{n}.html", page_html(11, n))
    site.set("/sitemap-index.xml", f'<?xml version="1.0"?><sitemapindex xmlns='
             f'"http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{base}/news.xml</loc>'
             f"</sitemap></sitemapindex>", "application/xml")
    urls = "".join(f"<url><loc>{base}/news/{n}.html</loc><lastmod>2026-03-0{n + 1}</lastmod></url>"
                   for n in range(3))
    site.set("/news.xml", f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
             f'sitemap/0.9">{urls}</urlset>', "application/xml")
    res = watcher.poll([f"{base}/"])
    assert len(res.new) == 3 and not res.problems, (res.line(), res.problems)
    again = watcher.poll([f"{base}/"])  # the sitemaps answer 304, nothing refetched
    assert len(again.new) == 0 and site.hits["/news/0.html"] == 1


def test_killed_mid_poll_loses_nothing_committed_and_the_next_poll_resumes(env, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    site, base, _store, _watcher = env
    _feed(site, base, 12, range(3))
    _feed(site, base, 13, range(3))
    site.slow.add("/f13/p2.html")
    db = tmp_path / "killed.db"
    cfg = tmp_path / "c.yaml"
    cfg.write_text("watch:\n  host_delay_s: 0\n  retries: 0\n  timeout_s: 30\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsweave.cli", "watch", f"{base}/feed12.xml", f"{base}/feed13.xml",
         "--db", str(db), "--once", "--config", str(cfg)], cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while site.hits.get("/f13/p2.html", 0) == 0 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)  # mid-poll: the slow page is being served
    proc.wait(timeout=30)
    site.slow.clear()
    with Store(db) as store:  # the file opens, and what it holds is whole
        before = store.count("articles")
        pipeline = _watcher.pipeline
        with Fetcher(Politeness(host_delay_s=0.0, retries=0)) as fetcher:
            res = Watcher(store, pipeline, fetcher).poll([f"{base}/feed12.xml", f"{base}/feed13.xml"])
        assert not res.problems, res.problems
        assert before + len(res.new) == 6 == store.count("articles")  # each page stored once
        with Fetcher(Politeness(host_delay_s=0.0, retries=0)) as fetcher:
            again = Watcher(store, pipeline, fetcher).poll([f"{base}/feed12.xml", f"{base}/feed13.xml"])
        assert again.not_modified == 2 and not again.new


def test_one_article_under_two_links_is_fetched_once(env):
    site, base, store, watcher = env
    site.set("/story.html", page_html(14, 1))
    site.set("/feed.xml", rss(14, [(f"{base}/story.html?utm_source=rss", "A", None),
                                   (f"{base}/story.html#top", "A again", None)]),
             "application/rss+xml")
    res = watcher.poll([f"{base}/feed.xml"])
    assert len(res.new) == 1 and site.hits["/story.html"] == 1, res.line()
