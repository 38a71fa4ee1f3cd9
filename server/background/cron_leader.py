"""One cron runner per root folder, however many processes serve it.

Under ``gunicorn -w 4`` every worker process starts a cron runner, and a job must still run once
per tick, not four times. The runners elect a leader with an exclusive lock on
``<root>/cron.master`` (web2py's name for its cron token): the holder runs the jobs, the others
try again every second and the first to get the lock takes over when the holder's process ends
(the system releases a dead process's lock, even after SIGKILL). One leader also keeps web2py's
rule that a job still running is not started again.

The file holds the *boot id* of the last leader that ran the ``@reboot`` jobs — gunicorn's master
pid for its workers, the process's own pid otherwise — so a worker taking over after another
died does not run them a second time for the same server start.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

RETRY_SECONDS = 1.0
FILE_NAME = "cron.master"


class CronLeadership:
    """The right to run cron in ``root``, held until :meth:`release` or the process ends."""

    def __init__(self, root: Path, boot_id: str | int | None = None):
        self.path = Path(root) / FILE_NAME
        self.boot_id = str(boot_id if boot_id is not None else os.getpid())
        self._file: BinaryIO | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self, stop: threading.Event, retry: float = RETRY_SECONDS) -> bool:
        """Wait until this process leads (True) or ``stop`` is set (False)."""
        while not stop.is_set():
            if self.try_acquire():
                return True
            stop.wait(retry)
        return False

    def try_acquire(self) -> bool:
        if self._file is not None:
            return True
        stream = open(self.path, "a+b")  # noqa: SIM115 - held open as long as the lead lasts
        if _lock(stream):
            self._file = stream
            return True
        stream.close()
        return False

    def claim_reboot(self) -> bool:
        """True the first time a leader of this boot id asks: then it runs the @reboot jobs."""
        if self._file is None:
            raise RuntimeError("only the leader runs the @reboot jobs")
        self._file.seek(0)
        if self._file.read().decode("ascii", "replace").strip() == self.boot_id:
            return False
        self._file.seek(0)
        self._file.truncate()
        self._file.write(self.boot_id.encode("ascii"))
        self._file.flush()
        return True

    def release(self) -> None:
        """Give the lead up (closing the file drops the lock)."""
        if self._file is not None:
            self._file.close()
            self._file = None


def _lock(stream: BinaryIO) -> bool:
    """An exclusive lock on ``stream`` without waiting; False when another process holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:
            stream.seek(0)
            msvcrt.locking(stream.fileno(), msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True
