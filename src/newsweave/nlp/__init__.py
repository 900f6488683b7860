"""Shared NLP: sentence spans, language identification, models loaded once."""

from .language import detect_language
from .sentences import split_sentences

__all__ = ["detect_language", "split_sentences"]
