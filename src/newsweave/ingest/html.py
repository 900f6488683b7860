"""HTML pages: trafilatura finds the body, title, date, author, URL and site name."""

from __future__ import annotations

import signal
import threading
import warnings as _warnings
from contextlib import contextmanager

from ..config import Config
from ..errors import InputError
from ..model import RawDocument


@contextmanager
def _time_limit(seconds: float):
    """SIGALRM-based limit; only possible in the main thread (elsewhere, no limit)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def _raise(signum, frame):
        raise TimeoutError

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def extract_html(html: str, input_name: str, doc_id: str, config: Config) -> RawDocument:
    """Extract an article from an HTML string. Raises InputError when the page holds no body."""
    import trafilatura

    timeout = float(config.get("limits.html_timeout_s"))
    try:
        with _time_limit(timeout), _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            doc = trafilatura.bare_extraction(
                html, with_metadata=True, include_comments=False, include_tables=False,
                favor_recall=True, deduplicate=False,
            )
    except TimeoutError:
        raise InputError(f"HTML parsing took over {timeout:g} s; skipped", kind="timeout") from None
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        raise InputError(f"HTML could not be parsed: {type(exc).__name__}: {exc}", kind="parse")
    if doc is None or not (doc.text or "").strip():
        # trafilatura drops fragments it judges too short to be an article; keep their visible
        # text rather than lose a real (if short) record.
        text = _visible_text(html)
        if not text:
            raise InputError("HTML page has no article text (no body, or only scripts and styles)",
                             kind="no_text")
        return RawDocument(id=doc_id, input=input_name, text=text, format="html",
                           text_is_clean=True, warnings=("HTML body taken as plain text: the page "
                                                         "has no recognisable article structure",))
    return RawDocument(
        id=doc_id, input=input_name, text=doc.text, format="html", text_is_clean=True,
        title=doc.title or None, published=(doc.date or None), author=doc.author or None,
        url=doc.url or None, source=doc.sitename or doc.hostname or None,
    )


def _visible_text(html: str) -> str:
    """The page's visible text, block by block, without scripts, styles or markup."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    blocks = []
    for el in root.iter("p", "h1", "h2", "h3", "li", "blockquote", "div", "td"):
        if el.tag == "div" and any(c.tag in ("p", "div") for c in el):
            continue
        t = " ".join(el.text_content().split())
        if t and t not in blocks:
            blocks.append(t)
    if not blocks:
        t = " ".join(root.text_content().split())
        blocks = [t] if t else []
    return "\n".join(blocks)
