"""Generate a corpus of bad / awkward inputs for newsweave robustness tests.

newsweave must never crash on what users feed it: every input file has to be
accounted for, either as one or more articles (possibly carrying a warning) or
as an entry in the run's ``problems`` list.  This module writes a deterministic
set of nasty inputs -- empty files, binary data, odd encodings, broken HTML,
malformed JSONL, huge files, duplicates, non-English text -- and returns a
manifest describing the coarse expected handling of each file:

``"article"``
    The file must become (exactly) one article, maybe with a warning.
``"problem"``
    The file must become a problems entry (no article).
``"articles"``
    A JSON/JSONL container: valid records become articles, bad records
    become per-record (per-line) problems.
``"mixed"``
    Either outcome is acceptable (policy-dependent, e.g. a duplicate that
    may be dropped or flagged); it only has to be accounted for.

For JSON/JSONL containers whose records are not all alike, ``make_corpus``
also fills the optional ``records`` dict: file name -> the expectation of
each record in order ("article" or "problem"), e.g. a line cut in half, an
array instead of an object, a 5,000-digit number, or nesting 100,000 deep.

Everything uses fixed seeds and only the standard library, so two runs produce
byte-identical output.  All article text is fictional.

Usage::

    python tests/badinput/make_corpus.py DEST [--quick]

``--quick`` shrinks the big inputs (big.txt 2 MB, huge_field.jsonl 2 MB) so
the corpus is suitable for a fast test suite.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import random
import sys

SEED = 20240601
MB = 1024 * 1024

ARTICLE = "article"
PROBLEM = "problem"
ARTICLES = "articles"
MIXED = "mixed"

# --------------------------------------------------------------------------
# Fictional texts
# --------------------------------------------------------------------------

ENGLISH_PARAGRAPH = (
    "The regional water authority said on Tuesday that reservoir levels had "
    "recovered faster than expected after a wet spring, easing fears of "
    "summer restrictions. Officials cautioned, however, that ageing pipes "
    "still lose almost a fifth of treated water before it reaches homes, and "
    "that a long-promised repair programme remains underfunded. Farmers in "
    "the valley welcomed the news but asked for clearer guidance on "
    "irrigation quotas for the coming season.\n\n"
)

DUPLICATE_ARTICLE = (
    "Harbour City council approves new tram line\n\n"
    "Harbour City's council voted 31 to 12 on Monday evening to approve a "
    "seven-kilometre tram line linking the old port district with the "
    "university campus, ending nearly a decade of debate over the project. "
    "Construction is expected to begin next spring and to take about three "
    "years.\n\n"
    "Mayor Elena Voss said the line would cut commuting times in half for "
    "thousands of students and dock workers. \"This is the most important "
    "transport decision the city has taken in a generation,\" she told "
    "reporters after the vote. Opposition councillors argued that the "
    "estimated cost of 410 million euros was unrealistic and warned of "
    "disruption for shop owners along the route.\n\n"
    "The regional government has pledged to cover 40 percent of the cost, "
    "with the remainder coming from municipal bonds and a development "
    "grant. A public consultation on the exact location of the eleven stops "
    "will open next month.\n"
)

LATIN1_TEXT = (
    "Café owners in the old town protested on Friday against new opening-hour "
    "rules. José Muñoz, who runs a small bakery near the cathedral, said the "
    "über-strict regulation would cost him half of his evening trade. The "
    "council promised to review the décor and terrace permits next month, "
    "and a spokesperson for the señora mayor said talks would continue.\n"
)

CP1252_TEXT = (
    "Ticket prices for the summer festival rise to €45 \u2014 a 12% increase "
    "on last year. \u201cWe had no choice,\u201d said organiser Mark Delaney, "
    "pointing to higher security costs. Local residents \u2018broadly "
    "accept\u2019 the change, according to a survey published on Thursday, "
    "although some complained that the festival \u2014 once free \u2014 is now "
    "out of reach for families.\n"
)

UNICODE_TEXT = (
    "The national statistics office reported that exports grew by 3.4 percent "
    "in the third quarter, driven by machinery and processed food. Economists "
    "said the figures – the strongest in two years – suggested the recovery "
    "was broadening beyond the energy sector. Résumé of the main figures: "
    "machinery +6.1%, food +4.0%, textiles −1.2%.\n"
)

UTF16BE_TEXT = (
    "Größere Fähren für die Insel: the ferry company of Lindenfeld said on Monday that two "
    "larger boats — each carrying 600 passengers — would join the route in June.\n"
)

UTF16BE_TEXT2 = (
    "Snow closed the airport in Kestrel Falls for six hours on Sunday, and about 40 flights "
    "were cancelled, the airport operator said.\n"
)

ARABIC_TEXT = (
    "أعلنت وزارة الزراعة يوم الأحد عن خطة جديدة لدعم صغار المزارعين في "
    "المناطق الريفية، تشمل تقديم قروض ميسرة وبذور محسنة. وقال المتحدث باسم "
    "الوزارة إن البرنامج سيستفيد منه أكثر من عشرين ألف مزارع خلال العام "
    "المقبل. ورحب اتحاد المزارعين بالقرار، لكنه طالب بتسريع إجراءات صرف "
    "القروض قبل بداية موسم الزراعة.\n"
)

INDONESIAN_TEXT = (
    "Pemerintah kota mengumumkan pada hari Senin bahwa jalur bus baru akan "
    "mulai beroperasi bulan depan untuk menghubungkan pusat kota dengan "
    "kawasan industri di pinggiran. Menurut kepala dinas perhubungan, layanan "
    "ini diharapkan dapat mengurangi kemacetan di jalan utama hingga dua "
    "puluh persen. Warga menyambut baik rencana tersebut, namun meminta agar "
    "tarif tetap terjangkau bagi pekerja dan pelajar.\n"
)

# Vocabulary for the generated one-line articles in many_articles.jsonl.
_PLACES = ["Northport", "Lindenfeld", "Carrow Bay", "San Aurelio", "Kestrel Falls",
           "Port Meridian", "Oakhaven", "Velmora", "Eastbridge", "Tallin Cross"]
_ACTORS = ["the city council", "the health ministry", "local teachers", "dock workers",
           "the central bank", "a group of farmers", "the regional court",
           "environmental campaigners", "the transport authority", "hospital staff"]
_VERBS = ["announced", "rejected", "called for", "postponed", "approved",
          "criticised", "launched", "suspended", "defended", "unveiled"]
_OBJECTS = ["a new housing plan", "changes to the school calendar", "a rise in bus fares",
            "a flood-defence project", "an inquiry into hospital waiting times",
            "a ban on night flights", "a cut in interest rates", "a recycling scheme",
            "plans for a new bridge", "emergency funding for libraries"]
_CODAS = ["after weeks of negotiations", "despite strong opposition",
          "citing rising costs", "following a public consultation",
          "ahead of next month's elections", "amid concerns about safety",
          "in a surprise move", "after a heated debate"]
_SOURCES = ["Daily Harbinger", "Valley Courier", "The Meridian Post", "Coastal Times",
            "Northern Ledger"]


def _record(rid: str, text: str, *, title: str, source: str = "Daily Harbinger",
            published: str = "2023-05-14T09:30:00Z") -> dict:
    return {"id": rid, "text": text, "source": source,
            "published": published, "title": title}


def _jsonl(records: list) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


# --------------------------------------------------------------------------
# Writers
# --------------------------------------------------------------------------

def _write_repeated(path: pathlib.Path, unit: bytes, total: int) -> None:
    """Write ``unit`` repeated to exactly ``total`` bytes, in ~1 MB chunks.

    The cut is made on a ``unit`` boundary when possible, so the file ends
    cleanly (no split multi-byte character or half sentence).
    """
    total -= total % len(unit) if total >= len(unit) else 0
    chunk = unit * max(1, MB // len(unit))
    written = 0
    with path.open("wb") as fh:
        while written < total:
            part = chunk[: total - written]
            fh.write(part)
            written += len(part)


def _fake_jpeg(rnd: random.Random, size: int) -> bytes:
    header = (
        b"\xff\xd8"                                   # SOI
        b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x48\x00\x48\x00\x00"  # APP0
        b"\xff\xdb\x00\x43\x00" + rnd.randbytes(64)   # DQT
        + b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"  # SOF0 640x480
        + b"\xff\xda\x00\x0c\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"  # SOS
    )
    body = rnd.randbytes(max(0, size - len(header) - 2))
    return header + body + b"\xff\xd9"               # EOI


def make_corpus(dest: pathlib.Path, *, big_mb: int = 50, many_lines: int = 10000,
                full: bool = True, records: dict | None = None) -> dict[str, str]:
    """Write the bad-input corpus into ``dest`` and return its manifest.

    The manifest maps each written file name (relative to ``dest``) to its
    expected coarse handling: "article", "problem", "articles" or "mixed"
    (see the module docstring).  ``big_mb`` sets the size of big.txt when
    ``full`` is true; with ``full=False`` big.txt is 2 MB and the huge JSONL
    field is 2 MB instead of 20 MB. ``records``, when given, receives the
    per-record expectations of the containers whose records differ.
    """
    dest = pathlib.Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(SEED)
    manifest: dict[str, str] = {}
    per_record = records if records is not None else {}

    def put(name: str, data: bytes, expect: str, each: list[str] | None = None) -> None:
        (dest / name).write_bytes(data)
        manifest[name] = expect
        if each is not None:
            per_record[name] = each

    # --- empty / blank -----------------------------------------------------
    put("empty.txt", b"", PROBLEM)
    put("whitespace.txt", b"   \n\n\t\t  \r\n \t\n        \n\n", PROBLEM)

    # --- binary ------------------------------------------------------------
    jpeg = _fake_jpeg(rnd, 48 * 1024)
    put("image.jpg", jpeg, PROBLEM)
    put("image.txt", jpeg, PROBLEM)  # binary masquerading as text
    nul = ("Police in Oakhaven said on Wednesday that a stolen delivery van had "
           "been found abandoned\x00 near the ring road.\x00 No arrests have been "
           "made, and officers appealed\x00\x00 for witnesses to come forward.\n")
    put("nul_bytes.txt", nul.encode("utf-8"), ARTICLE)

    # --- big text ----------------------------------------------------------
    big_total = (big_mb if full else 2) * MB
    _write_repeated(dest / "big.txt", ENGLISH_PARAGRAPH.encode("utf-8"), big_total)
    manifest["big.txt"] = ARTICLE

    # --- encodings ---------------------------------------------------------
    put("latin1.txt", LATIN1_TEXT.encode("latin-1"), ARTICLE)
    put("cp1252.txt", CP1252_TEXT.encode("cp1252"), ARTICLE)
    put("utf16_bom.txt", b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"), ARTICLE)
    put("utf16le_nobom.txt", UNICODE_TEXT.encode("utf-16-le"), ARTICLE)
    # Texts of their own, or they would be duplicates of the UTF-16-LE copies.
    put("utf16be_bom.txt", b"\xfe\xff" + UTF16BE_TEXT.encode("utf-16-be"), ARTICLE)
    put("utf16be_nobom.txt", UTF16BE_TEXT2.encode("utf-16-be"), ARTICLE)
    put("utf8_bom.txt", b"\xef\xbb\xbf" + UNICODE_TEXT.encode("utf-8"), ARTICLE)
    undecodable = (
        "Rail operators in Velmora warned of delays this weekend as engineers "
        "replace a signalling system that dates back to the 1970s. ".encode("utf-8")
        + b"\xff\xfe\xfa"
        + " Passengers are advised to check timetables before travelling, and "
          "replacement buses will run between the main stations.".encode("utf-8")
        + b"\xc3\x28\x80"
        + " The works are due to finish on Monday morning.\n".encode("utf-8")
    )
    put("undecodable.txt", undecodable, ARTICLE)

    # --- HTML --------------------------------------------------------------
    broken_html = (
        "<html><head><title>Storm closes mountain pass</title>\n"
        "<body><div class=\"article\"><h1>Storm closes mountain pass\n"
        "<p>Heavy snow forced the closure of the Kestrel Falls pass on Sunday, "
        "leaving dozens of lorries stranded overnight.\n"
        "<p>Road crews said they hoped to reopen one lane by Monday afternoon, "
        "but warned that more snow was forecast <b>for the rest of the week.\n"
        "<div><span>Drivers were urged to avoid the route\n"
    )
    put("broken.html", broken_html.encode("utf-8"), ARTICLE)
    scripts_only = (
        "<html><head><style>body { color: #333; } .x { display: none; }</style>"
        "<script>var tracker = {id: 42}; function init() { return tracker; }</script>"
        "</head><body><script>init(); document.write('');</script>"
        "<style>p { margin: 0 }</style></body></html>\n"
    )
    put("scripts_only.html", scripts_only.encode("utf-8"), PROBLEM)
    put("no_body.html", b"<html><head><title>x</title></head></html>\n", PROBLEM)
    deep_html = ("<html><body>" + "<div>" * 50_000
                 + "<p>Engineers in Eastbridge finished the new flood barrier on Friday, two "
                   "months ahead of schedule, the city said.</p>" + "</div>" * 50_000
                 + "</body></html>\n")
    put("deep_nesting.html", deep_html.encode("utf-8"), MIXED)
    laughs = ('<?xml version="1.0"?>\n<!DOCTYPE html [\n<!ENTITY lol "lol">\n'
              + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
                        for i in range(1, 10))
              + ']>\n<html><body><p>&lol9;</p><p>The Carrow Bay lighthouse will be '
                "restored this summer, the harbour trust said on Wednesday.</p></body></html>\n")
    put("billion_laughs.xhtml", laughs.encode("utf-8"), MIXED)

    # --- JSONL with broken lines -------------------------------------------
    broken_lines = [
        json.dumps(_record("bj-1", "The port of Carrow Bay handled a record number "
                           "of containers in April, its operator said.",
                           title="Record month for Carrow Bay port")),
        '{"id": "bj-2", "text": "This line was cut off in the mid',
        json.dumps({"id": "bj-3",
                    "html": "<p>Lindenfeld's library will reopen on Saturday after "
                            "a two-year renovation.</p>",
                    "source": "Valley Courier", "published": "2023-06-02",
                    "title": "Library reopens"}),
        json.dumps(["bj-4", "an array, not an object"]),
        json.dumps({"id": "bj-5", "text": 123, "source": "Valley Courier",
                    "published": "not a date", "title": "Wrong types"}),
    ]
    put("broken.jsonl", ("\n".join(broken_lines) + "\n").encode("utf-8"), ARTICLES,
        [ARTICLE, PROBLEM, ARTICLE, PROBLEM, PROBLEM])

    # Wrong types, huge fields and numbers, deep nesting: each line is one record.
    big_number = "9" * 5000  # over Python's 4,300-digit int limit: json.loads raises ValueError
    odd_lines = [
        '{"id": "t-1", "text": "Dock workers in Northport ended their strike on Friday.", '
        '"count": ' + big_number + '}',
        "[" * 100_000 + "]" * 100_000,  # RecursionError in json.loads
        '{"id": 1e999, "text": "An id that overflows to infinity is not an id at all."}',
        '{"id": true, "text": "A boolean is not an id either, even in a valid record."}',
        json.dumps({"id": "t-5", "text": None, "html": None}),
        json.dumps({"id": "t-6", "text": ["a", "list"]}),
        json.dumps({"id": "t-7", "text": "Port Meridian's mayor opened a new cycle lane.",
                    "title": "T" * (1024 * 1024), "source": {"nested": [1, 2, 3]},
                    "published": 20230514, "url": 42}),
        '{"id": "t-8", "text": "The Velmora ferry resumed service after repairs.", '
        '"published": NaN, "author": Infinity}',
        json.dumps({"id": "t-9", "text": "Kestrel Falls council met on Monday to discuss roads.",
                    "extra": {"deep": [[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]}}),
        json.dumps({"id": "t-10", "text": ""}),
        json.dumps("just a string"),
        "null",
    ]
    put("wrong_types.jsonl", ("\n".join(odd_lines) + "\n").encode("utf-8"), ARTICLES,
        [PROBLEM, PROBLEM, PROBLEM, PROBLEM, PROBLEM, PROBLEM, ARTICLE, ARTICLE, ARTICLE,
         PROBLEM, PROBLEM, PROBLEM])
    put("deep.json", ("[" * 100_000 + "]" * 100_000).encode("ascii"), PROBLEM)

    huge_size = (20 if full else 2) * MB
    huge_text = (ENGLISH_PARAGRAPH * (huge_size // len(ENGLISH_PARAGRAPH) + 1))[:huge_size]
    put("huge_field.jsonl",
        _jsonl([_record("huge-1", huge_text, title="A very long report")]), ARTICLES)

    put("dates.jsonl", _jsonl([
        _record("date-1", "Eastbridge opened a new community clinic on Thursday.",
                title="Clinic opens", published="2021-02-30"),
        _record("date-2", "Astronomers in Port Meridian announced a new observatory.",
                title="Observatory planned", published="2999-01-01"),
        _record("date-3", "The Tallin Cross marathon drew a record 9,000 runners.",
                title="Marathon record", published="2022-10-09T08:00:00+02:00"),
        _record("date-4", "Oakhaven's museum reopened its doors after a long renovation.",
                title="Museum reopens", published="0000-00-00"),
        _record("date-5", "San Aurelio's fishermen protested against new quotas.",
                title="Quota protest", published="1066-10-14"),
    ]), ARTICLES, [ARTICLE] * 5)
    # The text reader's date marker, impossible and in the future.
    put("impossible_date.txt", (" date 2021-02-30\nValley school reopens\n\n"
                                "The primary school in Lindenfeld reopened on Monday after "
                                "flood repairs, the head teacher said.\n").encode("utf-8"), ARTICLE)
    put("future_date.txt", (" date 2999-12-31\nCity hall to get a roof garden\n\n"
                            "Velmora's city hall will get a roof garden next year, the "
                            "council said on Tuesday.\n").encode("utf-8"), ARTICLE)

    # --- duplicates, languages, no sentences -------------------------------
    put("duplicate_a.txt", DUPLICATE_ARTICLE.encode("utf-8"), ARTICLE)
    put("duplicate_b.txt", DUPLICATE_ARTICLE.encode("utf-8"), MIXED)  # may be deduplicated
    put("arabic.txt", ARABIC_TEXT.encode("utf-8"), ARTICLE)
    put("indonesian.txt", INDONESIAN_TEXT.encode("utf-8"), ARTICLE)
    put("no_sentence.txt", b"--- *** ---\n12 34 56\n--- *** ---\n78 90 12 34\n*** --- ***\n",
        PROBLEM)

    # --- many records ------------------------------------------------------
    mrnd = random.Random(SEED + 1)
    records = []
    for i in range(many_lines):
        place, actor = mrnd.choice(_PLACES), mrnd.choice(_ACTORS)
        verb, obj, coda = mrnd.choice(_VERBS), mrnd.choice(_OBJECTS), mrnd.choice(_CODAS)
        n = mrnd.randint(2, 950)
        text = (f"In {place}, {actor} {verb} {obj} on day {i % 28 + 1}, {coda}; "
                f"about {n} people were affected, officials said.")
        title = f"{place}: {actor} {verb} {obj}"
        published = f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}T{i % 24:02d}:00:00Z"
        records.append(_record(f"m-{i:06d}", text, title=title,
                               source=mrnd.choice(_SOURCES), published=published))
    put("many_articles.jsonl", _jsonl(records), ARTICLES)

    # --- plain JSON --------------------------------------------------------
    put("record.json", json.dumps(_record(
        "rec-1", "A new ferry service between Northport and San Aurelio will start in "
                 "July, cutting the crossing time to ninety minutes.",
        title="New ferry route announced", source="Coastal Times"),
        ensure_ascii=False, indent=2).encode("utf-8"), ARTICLE)
    put("list.json", json.dumps([
        _record("list-1", "Velmora's city hall will install solar panels on its roof "
                          "this autumn.", title="Solar panels for city hall"),
        _record("list-2", "The Oakhaven football club appointed a new head coach on "
                          "Friday.", title="New coach for Oakhaven", source="Valley Courier"),
        _record("list-3", "Bakers in Lindenfeld say flour prices have doubled since "
                          "January.", title="Flour prices double", source="Northern Ledger"),
    ], ensure_ascii=False, indent=2).encode("utf-8"), ARTICLES)

    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=pathlib.Path, help="directory to write into")
    parser.add_argument("--quick", action="store_true",
                        help="small variant (2 MB big files) for fast tests")
    args = parser.parse_args(argv)
    manifest = make_corpus(args.dest, full=not args.quick)
    json.dump(manifest, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
