"""Language identification (py3langid: a small model shipped inside the package)."""

from __future__ import annotations

import re

from ..model import Article, replace
from ..stage import ArticleStage

LETTER = re.compile(r"[^\W\d_]", re.U)


def detect_language(text: str, min_letters: int = 20) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when there is too little text to tell."""
    sample = text[:3000]
    if len(LETTER.findall(sample)) < min_letters:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return lang


class LanguageDetector(ArticleStage):
    """``Article.language`` from the text (``detect_language``)."""

    name = "language"
    needs = frozenset({"text"})
    adds = frozenset({"language"})

    def __init__(self, min_letters: int = 20, max_chars: int | None = None):
        self.min_letters = min_letters
        self.max_chars = max_chars  # the light path reads only the start of long texts

    def process(self, article: Article) -> Article:
        text = article.text[:self.max_chars] if self.max_chars else article.text
        return replace(article, language=detect_language(text, self.min_letters))
