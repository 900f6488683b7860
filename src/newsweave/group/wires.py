"""Upstream sources: which outlet or news agency a piece of text comes from.

``independent_sources`` (reuse.py) merges only copies, as the gold annotations do: two AP
rewrites of one story count twice. A reader weighing corroboration also wants the stricter
count, where every article of one outlet is that outlet, an article carrying an agency's credit
("PARIS (AP) _", "(Xinhua) --") is that agency, and a sentence that relays an agency ("Reuters
reported", "according to the Associated Press") is that agency. ``upstream_sources`` counts
those, copies still merged.

>>> credit_name("AP")
'Associated Press'
>>> sentence_credit("Five people died, Reuters reported.")
'Reuters'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from ..model import Article, Span

# Agencies by the names and abbreviations their credits use; the key is the name reported.
AGENCIES: dict[str, tuple[str, ...]] = {
    "Associated Press": ("AP", "Associated Press", "The Associated Press", "APW"),
    "Reuters": ("Reuters", "Thomson Reuters"),
    "Agence France-Presse": ("AFP", "Agence France-Presse", "Agence France Presse"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "United Press International": ("UPI", "United Press International"),
    "Deutsche Presse-Agentur": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Kyodo": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "TASS": ("TASS", "ITAR-TASS"),
    "Interfax": ("Interfax",),
    "Anadolu Agency": ("Anadolu", "Anadolu Agency", "AA"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "Press Trust of India": ("PTI", "Press Trust of India"),
    "Asian News International": ("ANI", "Asian News International"),
    "IANS": ("IANS",),
    "Press Association": ("PA", "Press Association", "PA Media"),
    "Canadian Press": ("CP", "The Canadian Press", "Canadian Press"),
    "Australian Associated Press": ("AAP", "Australian Associated Press"),
}
_BY_ALIAS = {alias.lower(): name for name, aliases in AGENCIES.items() for alias in aliases}
_ALTERNATION = "|".join(sorted((re.escape(a) for a in _BY_ALIAS), key=len, reverse=True))
# "(AP)", "(Xinhua) --", "(Reuters) -" in a dateline or at the very start of the text.
_BRACKETED = re.compile(r"\(([A-Za-z][\w .&/-]{0,30})\)")
_LEAD_CREDIT = re.compile(r"^\s*(?:[A-Z][\w .,'-]{0,60}?\s*)?\(([A-Za-z][\w .&/-]{0,30})\)\s*"
                          r"(?:[-–—]{1,2}|_|:)\s")
# "Reuters reported", "Xinhua news agency said", "according to Reuters", "told Reuters", "as
# reported by AP". Short names ("AP", "PA") are read only in these phrases, never alone.
_RELAYED = re.compile(
    rf"\b(?:(?:according\s+to|(?:as\s+)?reported\s+by)\s+(?:the\s+)?(?P<a>{_ALTERNATION})"
    rf"|(?:the\s+)?(?P<b>{_ALTERNATION})(?:\s+news\s+agency)?\s+(?:reported|reports|said|says|"
    rf"quoted|cited)|(?:told|quoted\s+by|cited\s+by)\s+(?:the\s+)?(?P<c>{_ALTERNATION}))\b",
    re.I,
)


def credit_name(text: str) -> str | None:
    """The agency a credit names ("AP", "Xinhua News Agency"), or None when it names none."""
    return _BY_ALIAS.get(" ".join(text.split()).lower())


def article_credit(article: Article) -> str | None:
    """The agency whose copy the whole article carries: the credit in its dateline (kept in
    ``removed``; any bracketed name there, "PORT ALDANE (Northgate) —") or a listed agency's
    credit at the start of its text."""
    for r in article.removed:
        if r.kind == "dateline":
            for m in _BRACKETED.finditer(r.text):
                # a dateline's bracket is a credit even for an agency not listed here
                return credit_name(m.group(1)) or " ".join(m.group(1).split())
    m = _LEAD_CREDIT.match(article.text[:120])
    return credit_name(m.group(1)) if m else None


def sentence_credit(text: str) -> str | None:
    """The agency a sentence relays ("..., Reuters reported"), or None."""
    m = _RELAYED.search(text)
    if not m:
        return None
    return credit_name(m.group("a") or m.group("b") or m.group("c"))


def article_upstreams(articles: Iterable[Article]) -> dict[str, str]:
    """Each article's upstream: the agency it carries, else its outlet, else its own id."""
    out = {}
    for a in articles:
        credit = article_credit(a)
        outlet = credit_name(a.source) if a.source else None
        out[a.id] = credit or outlet or (a.source.strip().lower() if a.source else None) \
            or f"article:{a.id}"
    return out


def upstream_count(spans: Iterable[Span], upstream: Mapping[str, str],
                   group_of: Mapping[str, object]) -> int:
    """How many upstream sources ``spans`` come from: a span is its sentence's relayed agency,
    else its article's upstream; spans whose articles are copies of each other (one source
    group) are one source, whatever their upstreams say."""
    spans = list(spans)
    parent: dict[object, object] = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[rb] = ra

    keys = [sentence_credit(sp.text) or upstream.get(sp.article, f"article:{sp.article}")
            for sp in spans]
    for sp, key in zip(spans, keys):
        union(("up", key), ("group", group_of.get(sp.article, sp.article)))
    return len({root(("up", key)) for key in keys})
