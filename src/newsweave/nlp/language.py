"""Language identification (py3langid: a small model shipped inside the package)."""

from __future__ import annotations

import re

_LETTER = re.compile(r"[^\W\d_]", re.U)


def detect_language(text: str, min_letters: int = 20) -> str | None:
    """ISO 639-1 code of ``text``'s language, or None when there is too little text to tell."""
    sample = text[:3000]
    if len(_LETTER.findall(sample)) < min_letters:
        return None
    import py3langid

    lang, _score = py3langid.classify(sample)
    return lang
