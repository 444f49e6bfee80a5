"""Pausing Python's cyclic garbage collector while a document is checked.

A check keeps the tokens of every unit for the whole document (rules and checks look at other
units' tokens): hundreds of thousands of small objects that live until the check ends and form no
reference cycles. The cyclic collector cannot free any of them, yet each full collection it starts
on the way walks all of them again; on the federal codes that was about a quarter of the check's
time. Their memory is freed by reference counting either way, and whatever cycles a check does
create are collected as usual once the collector is back on.

The pause is counted, so that checks running at once in several threads (the web application)
switch the collector back on only when the last of them ends, and it never switches on a
collector that the program itself had switched off.
"""

from __future__ import annotations

import contextlib
import gc
import threading

_lock = threading.Lock()
_active = 0  # checks running with the collector paused
_paused_by_us = False  # the collector was on when the first of them began


@contextlib.contextmanager
def collector_paused():
    global _active, _paused_by_us
    with _lock:
        if _active == 0:
            _paused_by_us = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            if _active == 0 and _paused_by_us:
                gc.enable()
