"""Giving memory back to the system after bursts (glibc only; a no-op elsewhere).

Large response buffers (a briefing sent to a hundred clients at once) are freed when sent, but
glibc keeps freed heap memory, and raises its mmap threshold after the first large free, so
later large buffers come from the heap too. A fixed threshold keeps buffers over 256 KB in
their own mappings (returned when freed), and `malloc_trim` hands back what the heap holds free.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools

_M_MMAP_THRESHOLD = -3  # mallopt's parameter number in glibc's malloc.h


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if not name:
        return None
    with contextlib.suppress(OSError):
        libc = ctypes.CDLL(name)
        if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt"):
            return libc
    return None


def keep_large_buffers_mapped(threshold: int = 256 * 1024) -> None:
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, threshold)


def release_memory() -> None:
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)
