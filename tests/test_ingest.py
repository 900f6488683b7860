"""Readers and encodings: every input becomes an article or a problem, never a crash."""

import io
import json

import pytest

from newsweave.errors import InputError
from newsweave.ingest import decode, read_inputs
from newsweave.model import Problem, RawDocument

TEXT = "Café owners said the “new rules” cost them €40 — a lot."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_encodings_roundtrip(encoding):
    text, found, _ = decode(TEXT.encode(encoding))
    assert text == TEXT


def test_latin1():
    t = "Señor Müller, élu à Zürich."
    assert decode(t.encode("latin-1"))[0] == t


def test_mostly_utf8_with_bad_bytes_is_kept_with_a_warning():
    data = "Ünïcode text. ".encode() * 5 + b"\xff\xfe\xfa" + " more text".encode()
    text, enc, warnings = decode(data)
    assert enc == "utf-8" and "Ünïcode" in text and warnings


@pytest.mark.parametrize("data", [b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n" + b"\0" * 50,
                                  bytes(range(32)) * 50])
def test_binaries_are_refused(data):
    with pytest.raises(InputError) as err:
        decode(data)
    assert err.value.kind == "binary"


def _read(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode())
    return list(read_inputs([str(p)]))


def test_jsonl_records_and_broken_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": "Alpha story text.", "source": "X", "published": "2021-11-07",
                         "title": "Alpha", "url": "https://x.org/a"}),
             '{"id": "b", "text": ',
             json.dumps(["not", "an", "object"]),
             json.dumps({"id": "c", "text": 123}),
             json.dumps({"text": "No id here, so the line names it.", "published": "2999-01-01"})]
    items = _read(tmp_path, "feed.jsonl", "\n".join(lines))
    assert len(items) == 5
    a, b, c, d, e = items
    assert isinstance(a, RawDocument) and a.id == "a" and a.published == "2021-11-07" and a.source == "X"
    assert isinstance(b, Problem) and b.kind == "parse" and b.input.endswith("feed.jsonl:2")
    assert isinstance(c, Problem) and "JSON object" in c.message
    assert isinstance(d, Problem) and "'text' must be a string" in d.message
    assert isinstance(e, RawDocument) and e.id.endswith("feed.jsonl:5") and e.published is None
    assert any("future" in w for w in e.warnings)


def test_json_array_and_object(tmp_path):
    items = _read(tmp_path, "list.json", json.dumps([{"id": "a", "text": "One."}, {"id": "b", "text": "Two."}]))
    assert [i.id for i in items] == ["a", "b"]
    items = _read(tmp_path, "one.json", json.dumps({"text": "Solo article."}))
    assert [i.id for i in items] == ["one"]


def test_html_file(tmp_path):
    html = ("<html><head><title>Blast at plant</title><meta name='author' content='Jo Bo'>"
            "<meta property='article:published_time' content='2024-03-12'>"
            "<link rel='canonical' href='https://harbor.example/blast'></head><body><article>"
            "<h1>Blast at plant</h1><p>PORT ALDANE - A blast hit the Caldera plant on Tuesday, officials said, "
            "and firefighters fought the blaze for hours.</p><p>Two workers were killed in the explosion "
            "according to the fire chief who spoke to reporters.</p></article></body></html>")
    [doc] = _read(tmp_path, "blast.html", html)
    assert doc.title == "Blast at plant" and doc.published == "2024-03-12"
    assert doc.url == "https://harbor.example/blast" and doc.author == "Jo Bo"
    assert "Two workers were killed" in doc.text


def test_html_without_body(tmp_path):
    [p] = _read(tmp_path, "nobody.html", "<html><head><title>x</title></head></html>")
    assert isinstance(p, Problem) and p.kind == "no_text"


def test_stdin_jsonl():
    stream = io.StringIO('{"id": "s1", "text": "From stdin."}\n\nnot json\n')
    items = list(read_inputs(["-"], stdin=stream))
    assert items[0].id == "s1" and isinstance(items[1], Problem)


def test_duplicates_and_missing(tmp_path):
    (tmp_path / "a.txt").write_text("Same story text here.")
    (tmp_path / "b.txt").write_text("Same  story text here.\n")
    items = list(read_inputs([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert isinstance(items[0], RawDocument)
    assert isinstance(items[1], Problem) and items[1].kind == "duplicate"
    assert isinstance(items[2], Problem) and items[2].kind == "missing"


def test_oversized_file_is_cut_with_a_warning(tmp_path):
    from newsweave.config import load_config

    cfg = load_config(limits__max_input_bytes=1000)
    p = tmp_path / "big.txt"
    p.write_text("word " * 1000)
    [doc] = list(read_inputs([str(p)], cfg))
    assert len(doc.text) == 1000 and "only the first" in doc.warnings[0]
