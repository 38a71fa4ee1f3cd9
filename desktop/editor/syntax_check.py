"""Compile Python sources without freezing the window.

``compile()`` holds the GIL for its whole run (about 250 ms for a 10,000-line file), so a
thread would stall the window just the same; a child Python process does not.  A packaged
(frozen) program has no interpreter to start, so there the source is compiled in-process.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from PySide6.QtCore import QObject, QProcess, Signal

CHECK_SCRIPT = """\
import json, sys
source = sys.stdin.buffer.read().decode("utf-8", "replace")
try:
    compile(source, sys.argv[1], "exec", dont_inherit=True)
except SyntaxError as error:
    print(json.dumps([error.lineno or 1, error.msg]))
except ValueError as error:
    print(json.dumps([1, str(error)]))
"""


@dataclass(frozen=True)
class SyntaxProblem:
    """A Python syntax error: 1-based line and the compiler's message."""

    line: int
    message: str


def compile_problem(source: str, filename: str) -> SyntaxProblem | None:
    """Compile in this process; the problem found, or None."""
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as error:
        return SyntaxProblem(error.lineno or 1, error.msg)
    except ValueError as error:  # e.g. a NUL character typed into the source
        return SyntaxProblem(1, str(error))
    return None


def parse_report(output: bytes) -> SyntaxProblem | None:
    """The child's answer: empty when the source compiled, else ``[line, message]``."""
    text = output.decode("utf-8", "replace").strip()
    if not text:
        return None
    line, message = json.loads(text.splitlines()[-1])
    return SyntaxProblem(int(line), str(message))


@dataclass(frozen=True)
class _RunningCheck:
    process: QProcess
    source: bytes
    filename: str

    def compile_here(self) -> SyntaxProblem | None:
        return compile_problem(self.source.decode("utf-8", "replace"), self.filename)


class SyntaxChecker(QObject):
    """``check(source, filename)`` later emits ``checked(SyntaxProblem | None)``.

    Only the newest check reports: a save made while an older check runs supersedes it.
    The process signals go to methods of this object (not lambdas) so that Qt drops them
    once the checker is being destroyed, e.g. when a tab closes during a check.
    """

    checked = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._latest: _RunningCheck | None = None

    def check(self, source: bytes, filename: str) -> None:
        if getattr(sys, "frozen", False):
            self.checked.emit(compile_problem(source.decode("utf-8", "replace"), filename))
            return
        process = QProcess(self)
        self._latest = _RunningCheck(process, source, filename)
        process.finished.connect(self._on_finished)
        process.errorOccurred.connect(self._on_error)
        process.start(sys.executable, ["-I", "-S", "-c", CHECK_SCRIPT, filename])
        process.write(source)
        process.closeWriteChannel()

    def is_running(self) -> bool:
        return self._latest is not None

    def _take_latest(self, process: QProcess) -> _RunningCheck | None:
        """The check ``process`` runs, if it is still the newest; forget it either way."""
        process.deleteLater()
        if self._latest is None or self._latest.process is not process:
            return None
        latest, self._latest = self._latest, None
        return latest

    def _on_finished(self) -> None:
        process = self.sender()
        if (latest := self._take_latest(process)) is None:
            return
        if process.exitStatus() != QProcess.ExitStatus.NormalExit or process.exitCode() != 0:
            self.checked.emit(latest.compile_here())
        else:
            self.checked.emit(parse_report(bytes(process.readAllStandardOutput())))

    def _on_error(self, error: QProcess.ProcessError) -> None:
        """No Python to start: compile here rather than not at all."""
        if error != QProcess.ProcessError.FailedToStart:
            return  # a crash also ends in finished(), handled there
        if (latest := self._take_latest(self.sender())) is not None:
            self.checked.emit(latest.compile_here())
