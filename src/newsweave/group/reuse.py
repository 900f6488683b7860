"""Copy detection: which articles share text, how, and how many independent sources remain.

``ReuseDetector.detect`` links pairs of articles that share passages; ``source_groups`` merges the
articles that copy each other into one source. Three kinds of link:

- ``copy``: the two share story text beyond quotes (a syndicated or rewritten article): at least
  ``copy_block_words`` matched words outside quotation marks in one near-verbatim block, or at
  least ``copy_sentences`` near-verbatim sentence pairs outside quotes.
- ``shared_quote``: what they share lies mostly inside quotation marks (in either article): both
  quote the same statement, which says nothing about one copying the other.
- ``shared_wire``: only shorter runs (``min_block_words`` words and up) outside quotes, the trace
  two independent rewrites of one wire story leave.

How it scales: candidate pairs come from a winnowed k-gram index (reuse_index.py), so the work
grows with the number of pairs that really share text, not with n²; only those pairs are aligned
(reuse_align.py). Thresholds were set on the seed set (``../shared/seeds``) and checked by hand on
DUC 2004 copies; re-run ``bench/reuse.py`` after changing them (figures in bench/RESULTS.md).

>>> det = ReuseDetector()
>>> links = det.detect(articles)                         # doctest: +SKIP
>>> groups = det.source_groups(articles, links)          # doctest: +SKIP
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ..errors import ConfigError, InputError
from ..model import Article, Passage, Reuse, Span
from .reuse_align import Block, SentencePair, blocks, seed_runs, sentence_pairs, tile
from .reuse_index import IndexStats, candidate_pairs
from .reuse_text import PreparedArticle, fold, prepare_all

KINDS = ("copy", "shared_quote", "shared_wire")

# Characters a passage may take past its last word when both articles have them there.
_TRAILING = frozenset(".,;:!?)]\"'")


@dataclass(frozen=True)
class DetectionStats:
    """What one ``detect`` call did: how many pairs it looked at, out of how many possible."""

    articles: int
    all_pairs: int  # n * (n - 1) / 2: what comparing every pair would cost
    index: IndexStats
    candidates: int  # pairs the index proposed and the aligner examined
    aligned: int  # candidates with at least one shared run of align_k tokens
    links: int
    kinds: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall clock per step; "cpu": process


class ReuseDetector:
    """Finds copied and shared text between articles.

    Options (keyword only; defaults in brackets):

    - ``index_k`` [5], ``window`` [4]: k-gram length and winnowing window of the candidate index;
      any shared run of ``index_k + window - 1`` = 8 words is guaranteed to make a candidate.
    - ``max_df`` [64]: a fingerprint held by more articles is paired as a star, not all pairs.
    - ``star_min_shared`` [3]: star pairs need this many shared over-common fingerprints.
    - ``min_shared`` [1]: fingerprints a pair must share to be aligned.
    - ``align_k`` [4]: seed length (words) of the exact alignment.
    - ``max_gap`` [3]: words a block may skip on either side between two runs (a changed name,
      "home"/"house", "the mayor"/"the town's mayor").
    - ``max_repeat`` [8]: a seed repeated more often in one article is ignored there.
    - ``min_block_words`` [8]: the shortest block reported. Eight is where wire phrasing starts to
      mean something: the seed notes call a shared 6-word run noise and the AP run in seeds
      001/004 (8 words once "stand-off" equals "standoff") a weak paraphrase, which is what
      ``shared_wire`` reports; it is also the winnowing guarantee above.
    - ``copy_block_words`` [25]: matched words outside quotes in one block that make a ``copy``.
      In the seeds the two largest copied blocks of 000/004 have 49 and 98 such words; no
      independent pair there shares more than 8 words outside quotes.
    - ``copy_sentences`` [2]: near-verbatim sentence pairs outside quotes that make a ``copy``.
    - ``near_ratio`` [85.0]: rapidfuzz partial ratio over token ids (the shorter sentence against
      its best window in the longer) from which two sentences are near-verbatim. In the seeds the
      gold near-verbatim sentences of 000/004 score 77-100 (all but one 86 or more), sentences
      of independent pairs at most 75 (quoted) and 67 (unquoted).
    - ``sentence_min_words`` [10]: shorter sentences never count as near-verbatim, so two stock
      phrases ("No one claimed responsibility.") cannot make a copy.
    - ``quote_majority`` [0.5]: share of quoted words from which a non-copy link is
      ``shared_quote`` rather than ``shared_wire``.
    - ``outlet_copy_words`` [40], ``outlet_copy_days`` [2]: between two articles of the same
      outlet (``source``) published at most ``outlet_copy_days`` apart, matched words outside
      quotes summed over all blocks that make a ``copy``: an outlet's update of its own story
      (AP's rewrites) re-runs its paragraphs piecemeal, edited between the pieces, so no one block
      reaches ``copy_block_words``. Two outlets need the one long block, since independent
      rewrites of one wire story leave many short shared runs. Read off DUC 2006's 20 same-outlet
      shared_wire pairs: the other stories an outlet ran within two days of each other share at
      most 28 such words (attributions, a background phrase), the one rewrite (the AP pair of
      the Concorde gold) 53; pairs weeks apart recycle background paragraphs (up to 73 words)
      and stay ``shared_wire``.
    - ``copy_min_share`` [0.0]: the least ``share`` a ``copy`` must also have. At 0 two updates
      of one agency story that share only a background paragraph are a copy (one source, as the
      brief for issue 4 defines it). Raising it keeps such updates apart: on the 20 DUC 2004 copy
      pairs checked by hand, 0.14 turns 3 of the 4 background-only pairs and the one boilerplate
      pair into ``shared_wire`` and keeps all 15 real copies (0.15 loses one); a figure read off
      those same 20 pairs, so not a validated setting (bench/RESULTS.md).
    """

    def __init__(
        self,
        *,
        index_k: int = 5,
        window: int = 4,
        max_df: int = 64,
        star_min_shared: int = 3,
        min_shared: int = 1,
        align_k: int = 4,
        max_gap: int = 3,
        max_repeat: int = 8,
        min_block_words: int = 8,
        copy_block_words: int = 25,
        copy_sentences: int = 2,
        near_ratio: float = 85.0,
        sentence_min_words: int = 10,
        quote_majority: float = 0.5,
        copy_min_share: float = 0.0,
        outlet_copy_words: int = 40,
        outlet_copy_days: int = 2,
    ) -> None:
        self.index_k = index_k
        self.window = window
        self.max_df = max_df
        self.star_min_shared = star_min_shared
        self.min_shared = min_shared
        self.align_k = align_k
        self.max_gap = max_gap
        self.max_repeat = max_repeat
        self.min_block_words = min_block_words
        self.copy_block_words = copy_block_words
        self.copy_sentences = copy_sentences
        self.near_ratio = near_ratio
        self.sentence_min_words = sentence_min_words
        self.quote_majority = quote_majority
        self.copy_min_share = copy_min_share
        self.outlet_copy_words = outlet_copy_words
        self.outlet_copy_days = outlet_copy_days
        self._check()

    def _check(self) -> None:
        for name in ("index_k", "window", "max_df", "star_min_shared", "min_shared", "align_k",
                     "max_repeat", "min_block_words", "copy_block_words", "copy_sentences",
                     "sentence_min_words", "outlet_copy_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ConfigError(f"reuse option {name}={value!r} must be a whole number >= 1")
        if not isinstance(self.outlet_copy_days, int) or self.outlet_copy_days < 0:
            raise ConfigError(f"reuse option outlet_copy_days={self.outlet_copy_days!r} must be "
                              "a whole number >= 0")
        if not isinstance(self.max_gap, int) or self.max_gap < 0:
            raise ConfigError(f"reuse option max_gap={self.max_gap!r} must be a whole number >= 0")
        if self.max_df < 2:
            raise ConfigError(f"reuse option max_df={self.max_df!r} must be >= 2 (a fingerprint "
                              "held by one article pairs nothing)")
        if self.align_k > self.min_block_words:
            raise ConfigError(f"reuse option align_k={self.align_k} is longer than "
                              f"min_block_words={self.min_block_words}; lower align_k")
        if not 0 <= self.near_ratio <= 100:
            raise ConfigError(f"reuse option near_ratio={self.near_ratio!r} must lie in 0..100")
        for name in ("quote_majority", "copy_min_share"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ConfigError(f"reuse option {name}={value!r} must lie in 0..1")

    # -- public API -----------------------------------------------------------------------------

    def detect(self, articles: Sequence[Article]) -> tuple[Reuse, ...]:
        """Links between articles that share text, sorted by their article ids.

        Args:
            articles: the run's articles (``id``, ``text`` and ``sentences`` are read).
        Returns:
            one ``Reuse`` per linked pair: ``articles`` (sorted ids), ``kind`` (copy,
            shared_quote or shared_wire), ``share`` (fraction of the shorter article's characters
            inside shared passages) and ``passages``. A passage's ``spans`` are its extent in
            each article; its ``text`` is the first article's span (near-verbatim passages
            differ in a few words between the two).
        """
        return self.detect_with_stats(articles)[0]

    def detect_with_stats(
        self, articles: Sequence[Article]
    ) -> tuple[tuple[Reuse, ...], DetectionStats]:
        """``detect``, plus figures on the work done (for benchmarks and logs)."""
        arts = sorted(articles, key=lambda a: a.id)
        _check_ids(arts)
        t0, c0 = time.perf_counter(), time.process_time()
        prepared = prepare_all(arts)
        t1 = time.perf_counter()
        pairs, _shared, istats = candidate_pairs(
            prepared, self.index_k, self.window, self.max_df, self.min_shared, self.star_min_shared)
        t2 = time.perf_counter()
        links: list[Reuse] = []
        aligned = 0
        outlet = [_outlet(a) for a in arts]
        day = [_day(a) for a in arts]
        for x, y in pairs.tolist():
            same = (outlet[x] is not None and outlet[x] == outlet[y]
                    and None not in (day[x], day[y])
                    and abs((day[x] - day[y]).days) <= self.outlet_copy_days)
            link, touched = self._compare(prepared[x], prepared[y], same)
            aligned += touched
            if link is not None:
                links.append(link)
        t3, c3 = time.perf_counter(), time.process_time()
        links.sort(key=lambda r: r.articles)
        kinds = {k: sum(1 for r in links if r.kind == k) for k in KINDS}
        n = len(arts)
        stats = DetectionStats(
            articles=n, all_pairs=n * (n - 1) // 2, index=istats, candidates=len(pairs),
            aligned=aligned, links=len(links), kinds=kinds,
            seconds={"prepare": t1 - t0, "index": t2 - t1, "align": t3 - t2, "total": t3 - t0,
                     "cpu": c3 - c0},
        )
        return tuple(links), stats

    def source_groups(
        self, articles: Sequence[Article], links: Sequence[Reuse]
    ) -> tuple[tuple[str, ...], ...]:
        """Independent sources: articles joined by ``copy`` links merged into one group.

        Every article id is in exactly one group; ids are sorted inside a group and groups are
        sorted by their first id. ``shared_quote`` and ``shared_wire`` links never merge.
        """
        return source_groups([a.id for a in articles], links)

    # -- one pair -------------------------------------------------------------------------------

    def _compare(self, a: PreparedArticle, b: PreparedArticle,
                 same_outlet: bool = False) -> tuple[Reuse | None, bool]:
        seeds = seed_runs(a, b, self.align_k, self.max_repeat)
        if not len(seeds):
            return None, False
        runs = tile(a, b, seeds, self.align_k)
        kept = [blk for blk in blocks(runs, self.max_gap) if blk.matched >= self.min_block_words]
        sents = sentence_pairs(a, b, runs, self.near_ratio, self.sentence_min_words)
        if not kept and not sents:
            return None, True
        passages, extra = _passages(a, b, kept, sents)
        shorter = a if len(a.text) <= len(b.text) else b
        side = 0 if shorter is a else 1
        covered = _union_length([(p.spans[side].start, p.spans[side].end) for p in passages])
        share = round(covered / max(1, len(shorter.text)), 4)
        kind = self._kind(kept, sents, extra, share, same_outlet)
        return Reuse((a.id, b.id), kind, share, passages), True

    def _kind(self, kept: list[Block], sents: list[SentencePair], extra: list[SentencePair],
              share: float, same_outlet: bool = False) -> str:
        story_block = max((blk.matched - blk.quoted for blk in kept), default=0)
        story_sentences = sum(1 for p in sents if p.quoted < self.quote_majority)
        own_rewrite = same_outlet and (sum(blk.matched - blk.quoted for blk in kept)
                                       >= self.outlet_copy_words)
        if ((story_block >= self.copy_block_words or story_sentences >= self.copy_sentences
             or own_rewrite) and share >= self.copy_min_share):
            return "copy"
        total = sum(blk.matched for blk in kept) + sum(p.words for p in extra)
        quoted = sum(blk.quoted for blk in kept) + sum(p.quoted * p.words for p in extra)
        if total and quoted / total >= self.quote_majority:
            return "shared_quote"
        return "shared_wire"


def source_groups(ids: Sequence[str], links: Sequence[Reuse]) -> tuple[tuple[str, ...], ...]:
    """Independent sources: the ``ids`` joined by ``copy`` links merged into one group (union-find).

    Every id is in exactly one group; ids are sorted inside a group and groups by their first
    id. ``shared_quote`` and ``shared_wire`` links never merge. A link naming an id outside
    ``ids`` is an ``InputError``.
    """
    ids = sorted(set(ids))
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in links:
        for aid in link.articles:
            if aid not in parent:
                raise InputError(f"reuse link names article {aid!r}, which is not among the "
                                 "articles given; pass the same articles to detect and "
                                 "source_groups")
        if link.kind == "copy":
            ra, rb = root(link.articles[0]), root(link.articles[1])
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    members: dict[str, list[str]] = {}
    for i in ids:
        members.setdefault(root(i), []).append(i)
    return tuple(sorted(tuple(g) for g in members.values()))


def _outlet(article: Article) -> str | None:
    """The article's outlet as a comparable key (case and spacing folded), or None."""
    name = " ".join((article.source or "").split()).casefold()
    return name or None


def _day(article: Article) -> date | None:
    try:
        return date.fromisoformat(article.published[:10]) if article.published else None
    except ValueError:
        return None


def _check_ids(arts: Sequence[Article]) -> None:
    for x, y in zip(arts, arts[1:]):
        if x.id == y.id:
            raise InputError(f"two articles share the id {x.id!r}; article ids must be unique")


def _extend(ta: str, ea: int, tb: str, eb: int) -> tuple[int, int]:
    """Take closing punctuation both articles have right after the passage's last word."""
    while ea < len(ta) and eb < len(tb):
        ca, cb = fold(ta[ea]), fold(tb[eb])
        if ca != cb or ca not in _TRAILING:
            break
        ea, eb = ea + 1, eb + 1
    return ea, eb


def _span(art: PreparedArticle, start: int, end: int) -> Span:
    return Span(art.id, start, end, art.text[start:end])


def _passages(
    a: PreparedArticle, b: PreparedArticle, kept: list[Block], sents: list[SentencePair]
) -> tuple[tuple[Passage, ...], list[SentencePair]]:
    """Passages for the blocks, plus the near-verbatim sentences no block covers (``extra``)."""
    out: list[tuple[Span, Span]] = []
    for blk in kept:
        sa, ea = int(a.starts[blk.i0]), int(a.ends[blk.i1 - 1])
        sb, eb = int(b.starts[blk.j0]), int(b.ends[blk.j1 - 1])
        ea, eb = _extend(a.text, ea, b.text, eb)
        out.append((_span(a, sa, ea), _span(b, sb, eb)))
    extra: list[SentencePair] = []
    for p in sents:
        sa, ea = int(a.starts[p.a_tokens[0]]), int(a.ends[p.a_tokens[1] - 1])
        sb, eb = int(b.starts[p.b_tokens[0]]), int(b.ends[p.b_tokens[1] - 1])
        if any(_overlaps(sa, ea, s) or _overlaps(sb, eb, t) for s, t in out):
            continue
        ea, eb = _extend(a.text, ea, b.text, eb)
        extra.append(p)
        out.append((_span(a, sa, ea), _span(b, sb, eb)))
    out.sort(key=lambda st: (st[0].start, st[1].start))
    return tuple(Passage(sa.text, (sa, sb)) for sa, sb in out), extra


def _overlaps(start: int, end: int, span: Span) -> bool:
    return start < span.end and span.start < end


def _union_length(intervals: list[tuple[int, int]]) -> int:
    total, cur_s, cur_e = 0, None, None
    for s, e in sorted(intervals):
        if cur_e is None or s > cur_e:
            if cur_e is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_e is not None:
        total += cur_e - cur_s
    return total
