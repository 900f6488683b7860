"""A story's title: the most central headline, or failing headlines, the most central lead sentence."""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Article


def central_title(articles: Sequence[Article]) -> str:
    """The candidate (headline, else first sentence) most similar to all the story's texts."""
    candidates = [a.title.strip() for a in articles if a.title and a.title.strip()]
    if not candidates:
        for a in articles:
            if a.sentences:
                s = a.sentences[0]
                candidates.append(a.text[s.start:s.end])
    if not candidates:
        return "Untitled story"
    if len(candidates) == 1:
        return _shorten(candidates[0])
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = [a.text for a in articles]
    try:
        vec = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(docs + candidates)
    except ValueError:  # every word a stop word
        return _shorten(candidates[0])
    D = vec.transform(docs)
    C = vec.transform(candidates)
    scores = (C @ D.T).toarray().mean(axis=1)
    best = max(range(len(candidates)), key=lambda i: (scores[i], -len(candidates[i])))
    return _shorten(candidates[best])


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 40 else limit].rstrip(",;:") + "…"


def first_title(arts: Sequence[Article]) -> str:
    """The light path's story title: the earliest article's headline, else its first words
    (``central_title`` fits a TF-IDF per story, too slow for 100,000 articles)."""
    for a in arts:
        if a.title and a.title.strip():
            return " ".join(a.title.split())[:160]
    words = arts[0].text.split()[:20] if arts else []
    return " ".join(words) + ("…" if len(words) == 20 else "") if words else "Untitled story"
