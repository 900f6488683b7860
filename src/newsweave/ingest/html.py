"""HTML pages: trafilatura finds the body, title, date, author, URL and site name.

trafilatura can take minutes on a pathological page (3.4 MB of 60,000 link-only ``<div>``s: about
a minute), so it runs under ``limits.html_timeout_s``; past it, and whenever trafilatura finds no
body, the page's visible text is read with lxml alone (linear time), and if lxml's tree lost the
text (nesting deeper than libxml2's 256 levels) with a regular-expression tag stripper.
"""

from __future__ import annotations

import ctypes
import html as _html
import re
import signal
import threading
import warnings as _warnings
from contextlib import contextmanager

from ..config import Config
from ..errors import InputError
from ..model import RawDocument


class _Timeout(BaseException):
    """Raised by the alarm. A BaseException, so that no ``except Exception`` inside trafilatura or
    its helpers swallows it and carries on parsing."""


@contextmanager
def _time_limit(seconds: float):
    """Raise ``_Timeout`` in this thread after ``seconds``: SIGALRM in the main thread; in any
    other (the web app's worker threads, Dask's) a timer thread posts the exception to this one
    with ``PyThreadState_SetAsyncExc``, which takes effect at the next Python bytecode, so it
    stops trafilatura's Python loops though not one long lxml C call (those are linear)."""
    if seconds <= 0:
        yield
        return
    if threading.current_thread() is not threading.main_thread():
        with _thread_time_limit(seconds):
            yield
        return

    def _raise(signum, frame):
        raise _Timeout

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# A private prototype, so that the shared ``ctypes.pythonapi`` entry keeps its own argtypes.
_set_async_exc = ctypes.PYFUNCTYPE(ctypes.c_int, ctypes.c_ulong, ctypes.py_object)(
    ("PyThreadState_SetAsyncExc", ctypes.pythonapi))


@contextmanager
def _thread_time_limit(seconds: float):
    tid = threading.get_ident()
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def fire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                _set_async_exc(tid, _Timeout)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["fired"]:
                # The block may have ended before the exception arrived: withdraw it, so that it
                # never surfaces in unrelated code.
                _set_async_exc(tid, ctypes.py_object())


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
    except _Timeout:
        return _fallback(html, input_name, doc_id, "timeout",
                         f"HTML parsing took over {timeout:g} s (limits.html_timeout_s)")
    except Exception as exc:  # lxml and trafilatura raise many kinds on broken markup
        return _fallback(html, input_name, doc_id, "parse",
                         f"HTML could not be parsed: {type(exc).__name__}: {exc}")
    if doc is None or not (doc.text or "").strip():
        # trafilatura drops fragments it judges too short to be an article; keep their visible
        # text rather than lose a real (if short) record.
        return _fallback(html, input_name, doc_id, "no_text",
                         "HTML body taken as plain text: the page has no recognisable article "
                         "structure")
    return RawDocument(
        id=doc_id, input=input_name, text=doc.text, format="html", text_is_clean=True,
        title=doc.title or None, published=(doc.date or None), author=doc.author or None,
        url=doc.url or None, source=doc.sitename or doc.hostname or None,
    )


def _fallback(html: str, input_name: str, doc_id: str, kind: str, why: str) -> RawDocument:
    """The page's visible text when trafilatura gave none, with ``why`` as a warning; an
    InputError of ``kind`` when there is no visible text either."""
    text = _visible_text(html)
    if not text:
        if kind == "no_text":
            why = "HTML page has no article text (no body, or only scripts and styles)"
        else:
            why += ", and the page has no visible text"
        raise InputError(why, kind=kind)
    if kind != "no_text":
        why += "; body taken as the page's plain text"
    return RawDocument(id=doc_id, input=input_name, text=text, format="html", text_is_clean=True,
                       warnings=(why,))


def _visible_text(html: str) -> str:
    """The page's visible text, block by block, without scripts, styles or markup."""
    import lxml.html

    try:
        root = lxml.html.fromstring(html)
    except Exception:
        return _plain_text(html)
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    blocks: list[str] = []
    seen: set[str] = set()  # a set: a list's ``in`` made 20,000 blocks take seconds
    for el in root.iter("p", "h1", "h2", "h3", "li", "blockquote", "div", "td"):
        if el.tag == "div" and any(c.tag in ("p", "div") for c in el):
            continue
        t = " ".join(el.text_content().split())
        if t and t not in seen:
            seen.add(t)
            blocks.append(t)
    if not blocks:
        t = " ".join(root.text_content().split())
        blocks = [t] if t else []
    return "\n".join(blocks) or _plain_text(html)


_INVISIBLE = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>|<!--.*?-->"
                        r"|<!\[CDATA\[.*?\]\]>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.S | re.I)
_BLOCK = re.compile(r"</?(?:p|div|h[1-6]|li|blockquote|td|tr|br|section|article)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def _plain_text(html: str) -> str:
    """Tags stripped with regular expressions: the last resort when lxml's tree lost the text.
    Entities are unescaped once (a DTD's own entities are never expanded)."""
    text = _BLOCK.sub("\n", _INVISIBLE.sub(" ", html))
    text = _html.unescape(_TAG.sub(" ", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
