"""Hand freed heap memory back to the system between blocks of work.

glibc's allocator keeps memory a process has freed in its arenas for reuse. The story stages
allocate and free many short-lived buffers of changing sizes (torch activations for MiniLM,
similarity matrices, HiGHS models), and the freed space is fragmented, so a long run's resident
size grew with the articles it had processed although the data it held did not: on 500 articles
the story stages ended at 1,009 MB resident, 675 MB after one ``malloc_trim`` (bench/RESULTS.md,
#23). ``release_memory`` asks glibc to return it; elsewhere (musl, macOS, Windows) it does
nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # no glibc (musl has no malloc_trim)
        return None


def release_memory() -> bool:
    """Return freed heap pages to the system; True when the allocator could be asked."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
