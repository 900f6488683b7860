"""Web app pieces without a server: config checks for web.*, upload names, the page cache, and
where the article page puts what cleaning removed."""

from __future__ import annotations

import pytest

from newsweave.cli import main
from newsweave.config import load_config
from newsweave.errors import ConfigError
from newsweave.model import Article, Removed, Segment
from newsweave.render.html import article_text
from newsweave.web.cache import PageCache
from newsweave.web.uploads import safe_name


@pytest.mark.parametrize("text, message", [
    ("web:\n  token: short\n", "at least 16 characters"),
    ("web:\n  token: 12345678901234567\n", "web.token"),  # an int, not a string
    ("web:\n  max_upload_bytes: 0\n", "positive number of bytes"),
    ("web:\n  max_upload_bytes: lots\n", "max_upload_bytes"),
    ("web:\n  port: 80\n", "unknown setting 'web.port'"),
])
def test_bad_web_settings_are_refused_by_name(tmp_path, text, message):
    path = tmp_path / "c.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path)


def test_good_web_settings(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("web:\n  token: a-long-enough-token-1234\n  max_upload_bytes: 1000\n")
    config = load_config(path)
    assert config.get("web.token") == "a-long-enough-token-1234"
    assert load_config().get("web.token") is None  # writes are off by default


def test_serve_with_a_bad_config_exits_2(tmp_path, capsys):
    path = tmp_path / "c.yaml"
    path.write_text("web:\n  token: short\n")
    assert main(["serve", "--db", str(tmp_path / "x.db"), "--config", str(path)]) == 2
    assert "web.token" in capsys.readouterr().err


@pytest.mark.parametrize("given, expected", [
    ("a.txt", "a.txt"),
    ("../../etc/passwd", "passwd.txt"),
    ("..\\..\\win.ini", "win.ini.txt"),
    (".hidden.html", "hidden.html"),
    ("feed.JSONL", "feed.jsonl"),
    ('x"><img src=x>.txt', "x_img_src_x_.txt"),
    ("", "upload.txt"),
    (None, "upload.txt"),
])
def test_upload_names_are_plain(given, expected):
    assert safe_name(given, set()) == expected


def test_upload_names_never_collide():
    taken: set[str] = set()
    assert [safe_name("a.txt", taken) for _ in range(3)] == ["a.txt", "a-2.txt", "a-3.txt"]


def test_page_cache_drops_everything_when_the_store_changes():
    cache, built = PageCache(max_entries=2), []

    def build(tag):
        return lambda: built.append(tag) or tag.encode()

    assert cache.get(0, "a", build("a0")) == b"a0"
    assert cache.get(0, "a", build("again")) == b"a0" and built == ["a0"]
    assert cache.peek(0, "a") == b"a0" and cache.peek(1, "a") is None
    assert cache.get(1, "a", build("a1")) == b"a1"
    assert cache.get(0, "a", build("old")) == b"old"  # a request from before the change
    assert cache.peek(1, "a") == b"a1"  # ... does not overwrite the new page
    assert cache.get(1, "missing", lambda: None) is None and cache.peek(1, "missing") is None
    cache.get(1, "b", build("b")), cache.get(1, "c", build("c"))
    assert cache.peek(1, "a") is None  # least recently used, evicted at 2 entries


def test_removed_pieces_are_shown_where_they_stood():
    text = "First para.\n\nSecond para."
    a = Article(id="a", input="a.txt", text=text,
                removed=(Removed("DATE 2024", "metadata", raw_start=0),
                         Removed("Subscribe now!", "boilerplate", raw_start=22)),
                segments=(Segment(0, 10, 11), Segment(13, 37, 12)))
    html = article_text(a, show_removed=True)
    assert html.index("DATE 2024") < html.index("First para.") < html.index("Subscribe now!") \
        < html.index("Second para.")
    assert '<span class="kept" data-start="13">Second para.</span>' in html
    assert "Subscribe" not in article_text(a)  # the story page shows the cleaned text only


def test_uploads_are_stored_under_their_upload_names(tmp_path):
    """The temporary folder an upload passes through never becomes an article's ``input``."""
    from newsweave.store import Store
    from newsweave.web.uploads import Ingester

    folder = tmp_path / "tmp-upload-xyz"
    folder.mkdir()
    (folder / "quake.txt").write_text("A strong earthquake shook the coastal city of Mira on "
                                      "Monday, officials said, and two bridges collapsed.\n")
    res = Ingester(tmp_path / "s.db", load_config(group__mode="light"))(folder)
    assert res["added"] == ["quake"]
    with Store(tmp_path / "s.db") as store:
        (art,) = store.load_articles(["quake"])
    assert art.input == "upload:quake.txt"
