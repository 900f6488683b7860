"""Shared NLP: sentence spans, language identification, models loaded once."""

from .language import LanguageDetector, detect_language
from .sentences import Sentencizer, split_sentences

__all__ = ["LanguageDetector", "Sentencizer", "detect_language", "split_sentences"]
