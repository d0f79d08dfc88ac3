"""Work done by a forked child process, on the second core, while the build goes on.

In: a function without arguments (its result picklable) and the number of fiches of the directory it works on.
Out: `Aside(compute, fiches).result()` → what `compute()` returns. On a large directory, in a process with no
other thread, a forked child computes it: it shares the parent's memory as it was when forked, nothing is
copied but the result. Otherwise (small directory, `mkdocs serve`'s threads, not Linux) it is computed at once,
or in a thread when asked (`in_thread`).
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

ASIDE_FROM = 400
"""From this many fiches, the work goes to a child; below, starting a process costs more than it saves."""

Result = TypeVar("Result")


def _compute(compute: Callable[[], object], sending: Connection) -> None:
    try:
        outcome = (True, compute())
    except BaseException as error:  # handed to the parent, which raises it where the result is awaited
        outcome = (False, error)
    sending.send(outcome)
    sending.close()


class Aside(Generic[Result]):
    """`compute()`, by a forked child when it pays."""

    def __init__(self, compute: Callable[[], Result], fiches: int, in_thread: bool = False):
        """`in_thread`: when no child is forked, compute in a thread rather than at once: for work that mostly
        waits for another program (Pagefind), so that the build goes on meanwhile."""
        self._worker: multiprocessing.Process | threading.Thread | None = None
        self.child_pid: int | None = None
        """The child that computed the result, if one did."""
        forking = fiches >= ASIDE_FROM and sys.platform == "linux" and threading.active_count() == 1  # forking with other threads running is unsafe
        if not (forking or in_thread):
            self._result = compute()
            return
        self._receiving, sending = multiprocessing.Pipe(duplex=False)
        if forking:
            self._worker = multiprocessing.get_context("fork").Process(target=_compute, args=(compute, sending), daemon=True)
            self._worker.start()
            self.child_pid = self._worker.pid
            sending.close()  # the child's end: the parent then sees the pipe close if the child dies
        else:
            self._worker = threading.Thread(target=_compute, args=(compute, sending), daemon=True)
            self._worker.start()

    def result(self) -> Result:
        """Waits for the child or the thread if it has not finished."""
        if self._worker is not None:
            try:
                succeeded, value = self._receiving.recv()
            except EOFError:  # the child died before answering (killed, out of memory)
                succeeded, value = False, None
            self._receiving.close()
            self._worker.join()
            exit_code, self._worker = getattr(self._worker, "exitcode", None), None
            if not succeeded:
                raise value or ChildProcessError(f"le processus de calcul s'est arrêté sans résultat (code {exit_code})")
            self._result = value
        return self._result
