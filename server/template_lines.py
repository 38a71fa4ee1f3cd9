"""From a line of a compiled view back to the template file and line it came from.

yatl turns a view, with everything it extends and includes, into one Python program; an error
in it is at a line of that program. Before parsing, :func:`mark_blocks` puts a comment before
each code block naming its file and line; yatl carries comments into the program, so
:func:`source_line` finds the nearest marker above a program line. Tickets use it, so they
name ``views/default/index.html`` line 3 rather than line 60 of the compiled code.
"""

from __future__ import annotations

import bisect
import re
import threading

MARKER = "#@view "
Marker = tuple[int, int, str]  # (program line index, template line, template path)
_markers: dict[str, list[Marker]] = {}  # compiled code's file name -> its program's markers
_lock = threading.Lock()


def mark_blocks(text: str, path: str, delimiters: tuple[str, str]) -> str:
    """``text`` with a marker block before each code block (``{{...}}``) of file ``path``."""
    opening, closing = delimiters

    def marked(match: re.Match) -> str:
        line = text.count("\n", 0, match.end()) + 1  # of the block's first code line
        return f"{opening}{MARKER}{line} {path}{closing}{match.group(0)}"

    return re.sub(re.escape(opening) + r"(\s*\n)?", marked, text)


def markers_of(program: str) -> list[Marker]:
    """The markers of a compiled view's program, in program order: all that mapping its
    lines needs (a compiled app keeps these, not the program)."""
    found = []
    for index, text in enumerate(program.splitlines()):
        text = text.strip()
        if text.startswith(MARKER):
            number, path = text[len(MARKER):].split(" ", 1)
            found.append((index, int(number), path))
    return found


def remember_program(filename: str, program: str) -> None:
    """Keep where the lines of the program compiled under ``filename`` (the view's path)
    came from."""
    remember_markers(filename, markers_of(program))


def remember_markers(filename: str, markers: list[Marker]) -> None:
    with _lock:
        _markers[filename] = markers


def is_program(filename: str) -> bool:
    """``filename`` names a compiled view (its lines map to templates' lines)."""
    return filename in _markers


def source_line(filename: str, line: int) -> tuple[str, int] | None:
    """``(template path, line)`` for line ``line`` of the program compiled as ``filename``, or
    None when that is no view (a model, a controller) or the line precedes every block."""
    return line_in(_markers.get(filename) or [], line)


def line_in(markers: list[Marker], line: int) -> tuple[str, int] | None:
    """``(template path, line)`` of a program's line ``line``, from that program's markers."""
    position = bisect.bisect_right(markers, (line - 1, float("inf"), "")) - 1
    if line < 1 or position < 0:
        return None
    index, number, path = markers[position]
    # the marker's next program line is the block's first line in the file
    return path, number + max(line - 2 - index, 0)
