"""Raising an exception inside another thread (the Shell's interrupt), without wedging tracing.

CPython offers one way to stop Python code running in another thread:
``PyThreadState_SetAsyncExc``. In CPython 3.11 it also sets an interpreter-wide "pending
asynchronous exception" flag that only the delivery of such an exception clears. Withdrawing
one (passing NULL), or aiming one at a thread that ends before it fires, leaves the flag set
for good; from then on every traced function entry, in any thread (a debugger's or a
coverage tool's trace function), spins forever at the function's first instruction
holding the GIL, before its trace function is even called. Hence the rules here:

- an interrupt is never withdrawn: one that came too late is absorbed where it lands
  (:func:`absorb_interrupt`, run by the interrupted thread itself);
- before tracing a thread, :func:`clear_stale_flag` delivers a harmless exception to it,
  which clears a flag left set by anyone else.
"""

from __future__ import annotations

import ctypes
import threading


class _Flush(Exception):
    """Raised only by :func:`clear_stale_flag` in its own thread, and caught there."""


def raise_in_thread(thread_id: int, exception: type[BaseException]) -> None:
    """Have ``thread_id`` raise ``exception`` at its next Python instruction."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                               ctypes.py_object(exception))


def _checkpoint() -> None:
    """A Python call: where a pending asynchronous exception fires at the latest."""


def absorb_interrupt(exception: type[BaseException]) -> None:
    """In the interrupted thread, once nothing may be interrupted any more: an interrupt that
    came too late to stop anything fires here and is dropped (if it already fired, nothing
    happens)."""
    try:
        _checkpoint()
    except exception:
        pass


def clear_stale_flag() -> None:
    """Clear CPython's pending-exception flag if someone left it set (see the module's
    docstring), by raising and catching an exception of our own in the calling thread."""
    try:
        raise_in_thread(threading.get_ident(), _Flush)
        _checkpoint()
    except _Flush:
        pass
