"""From a line of a compiled view back to the template file and line it came from.

yatl turns a view, with everything it extends and includes, into one Python program; an error
in it is at a line of that program. Before parsing, :func:`mark_blocks` puts a comment before
each code block naming its file and line; yatl carries comments into the program, so
:func:`source_line` finds the nearest marker above a program line. Tickets use it, so they
name ``views/default/index.html`` line 3 rather than line 60 of the compiled code.
"""

from __future__ import annotations

import re
import threading

MARKER = "#@view "
_programs: dict[str, list[str]] = {}  # compiled code's file name -> its program's lines
_lock = threading.Lock()


def mark_blocks(text: str, path: str, delimiters: tuple[str, str]) -> str:
    """``text`` with a marker block before each code block (``{{...}}``) of file ``path``."""
    opening, closing = delimiters

    def marked(match: re.Match) -> str:
        line = text.count("\n", 0, match.end()) + 1  # of the block's first code line
        return f"{opening}{MARKER}{line} {path}{closing}{match.group(0)}"

    return re.sub(re.escape(opening) + r"(\s*\n)?", marked, text)


def remember_program(filename: str, program: str) -> None:
    """Keep the program compiled under ``filename`` (the view's path) to map its lines."""
    with _lock:
        _programs[filename] = program.splitlines()


def source_line(filename: str, line: int) -> tuple[str, int] | None:
    """``(template path, line)`` for line ``line`` of the program compiled as ``filename``, or
    None when that is no view (a model, a controller) or the line precedes every block."""
    program = _programs.get(filename)
    if program is None or not 0 < line <= len(program):
        return None
    for index in range(line - 1, -1, -1):
        text = program[index].strip()
        if text.startswith(MARKER):
            number, path = text[len(MARKER):].split(" ", 1)
            # the marker's next program line is the block's first line in the file
            return path, int(number) + max(line - 2 - index, 0)
    return None
