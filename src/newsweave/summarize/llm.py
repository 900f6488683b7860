"""Optional rewording of an extractive summary by a language model behind an OpenAI-compatible
chat endpoint (off by default; standard library only).

The model gets the chosen extractive sentences, numbered, and is asked for a shorter, fluent
summary stating nothing they do not state. What comes back is checked, not trusted: a generated
sentence is kept only when some extractive sentence supports it (at least ``MIN_SUPPORT`` of its
content words appear there); it then cites what that sentence cites. Unsupported sentences are
dropped, and any failure (network, timeout, an answer that is not JSON) leaves the extractive
summary as it was.

>>> settings = LLMSettings(url="http://127.0.0.1:8000/v1", model="local")
>>> story_summary = LLMRewriter(settings).rewrite(extractive_sentences)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import SummarySentence
from .concepts import content_tokens

# The brief's support test: a generated sentence must share half its content words with one source.
MIN_SUPPORT = 0.5

INSTRUCTIONS = (
    "You rewrite a news summary. Use only facts stated in the numbered source sentences; add "
    "nothing, guess nothing, keep names, numbers and who said what exactly as given. Where the "
    "sources differ (sentences starting 'Reports differ'), keep the difference. Write at most "
    "{words} words, one sentence per line, with no numbering and no commentary."
)


@dataclass(frozen=True)
class LLMSettings:
    """Where the model is. ``url``: the API base (``.../v1``); the key is read from the
    environment variable ``api_key_env`` at call time, never stored."""

    url: str
    model: str
    api_key_env: str | None = "OPENAI_API_KEY"
    timeout_s: float = 30.0
    temperature: float = 0.0
    words: int = 100

    @classmethod
    def from_config(cls, section: Mapping | None) -> LLMSettings | None:
        """The settings from a config section (``summarize.llm``), or None when it is off."""
        if not section or not section.get("enabled"):
            return None
        known = {"enabled", "url", "model", "api_key_env", "timeout_s", "temperature", "words"}
        unknown = set(section) - known
        if unknown:
            raise ConfigError(f"unknown setting(s) {sorted(unknown)} in summarize.llm; "
                              f"known: {sorted(known)}")
        for key in ("url", "model"):
            if not isinstance(section.get(key), str) or not section[key].strip():
                raise ConfigError(f"summarize.llm.{key} must be set when summarize.llm.enabled is "
                                  f"true (got {section.get(key)!r}); e.g. url: "
                                  f"http://127.0.0.1:8000/v1, model: the served model's name")
        if not re.match(r"https?://", section["url"]):
            raise ConfigError(f"summarize.llm.url must start with http:// or https:// "
                              f"(got {section['url']!r})")
        return cls(**{k: v for k, v in section.items() if k != "enabled"})


class LLMRewriter:
    def __init__(self, settings: LLMSettings):
        self.settings = settings

    def _post(self, messages: list[dict]) -> str:
        st = self.settings
        body = json.dumps({"model": st.model, "messages": messages,
                           "temperature": st.temperature}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(st.api_key_env) if st.api_key_env else None
        if key:
            headers["Authorization"] = f"Bearer {key}"
        req = urllib.request.Request(st.url.rstrip("/") + "/chat/completions", data=body,
                                     headers=headers, method="POST")
        with urllib.request.urlopen(req, timeout=st.timeout_s) as resp:  # noqa: S310 (configured URL)
            data = json.loads(resp.read().decode("utf-8"))
        return data["choices"][0]["message"]["content"]

    def rewrite(self, summary: Sequence[SummarySentence]) -> tuple[SummarySentence, ...]:
        """The model's wording of ``summary``, each kept sentence cited; ``summary`` on failure
        (with a Python warning; ``try_rewrite`` returns the reason instead)."""
        out, error = self.try_rewrite(summary)
        if error:
            warnings.warn(error, stacklevel=2)
        return out

    def try_rewrite(self, summary: Sequence[SummarySentence],
                    ) -> tuple[tuple[SummarySentence, ...], str | None]:
        """(the model's wording of ``summary``, None), or (``summary``, why the model's wording
        could not be had)."""
        if not summary:
            return tuple(summary), None
        numbered = "\n".join(f"[{i + 1}] {s.text}" for i, s in enumerate(summary))
        messages = [
            {"role": "system", "content": INSTRUCTIONS.format(words=self.settings.words)},
            {"role": "user", "content": f"Source sentences:\n{numbered}"},
        ]
        try:
            answer = self._post(messages)
        except (urllib.error.URLError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
            return tuple(summary), (f"LLM rewording skipped ({type(exc).__name__}: {exc}); "
                                    "keeping the extractive summary")
        out = []
        used = 0
        for line in generated_sentences(answer):
            cites = supporting(line, summary)
            n = len(line.split())
            if cites is None or used + n > self.settings.words:
                continue
            out.append(SummarySentence(line, cites))
            used += n
        return (tuple(out), None) if out else (tuple(summary), None)


def generated_sentences(answer: str) -> list[str]:
    """The answer's sentences: one per line, list markers and source numbers stripped."""
    from ..nlp import split_sentences

    out = []
    for line in answer.splitlines():
        line = re.sub(r"^\s*(?:[-*•]|\d+[.)]|\[\d+\])\s*", "", line).strip()
        line = re.sub(r"\s*\[\d+(?:,\s*\d+)*\]", "", line).strip()
        if not line:
            continue
        out += [line[s.start:s.end] for s in split_sentences(line)]
    return out


def supporting(sentence: str, summary: Sequence[SummarySentence]):
    """The citations of the source sentences that support ``sentence``, or None if none does."""
    words = set(content_tokens(sentence))
    if not words:
        return None
    cites: dict[tuple[str, int, int], object] = {}
    for s in summary:
        share = len(words & set(content_tokens(s.text))) / len(words)
        if share >= MIN_SUPPORT:
            for c in s.citations:
                cites.setdefault((c.article, c.start, c.end), c)
    return tuple(cites.values()) if cites else None
