"""An application's compiled form: the ``compiled/`` folder web2py writes, and running from it.

web2py's layout, one byte-code file per piece the server runs:

- ``models.<path>.pyc``: a model (``models/a/b.py`` is ``models.a.b.pyc``);
- ``controllers.<controller>.<function>.pyc``: the controller's code followed by a call of that
  function (its existence is what exposes the function);
- ``views.<path>.pyc``: a view with its ``extend``/``include`` already resolved;
- ``views.<path>.lines`` (Pocketweb's own): where each code block of that view came from, so a
  ticket names the template file and line even with the templates gone.

Each ``.pyc`` is what ``py_compile`` writes: Python's magic number, flags, the source's mtime and
size, the marshalled code. Code is compiled with file names relative to the app and relocated
under the app's folder when loaded, so a compiled app copied elsewhere still names its own
files. Byte-code of another Python version is refused, as web2py refuses it, with what to do.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import marshal
import os
import stat
import sys
import threading
from pathlib import Path
from types import CodeType
from typing import Any

from server import template_lines
from server.file_stamps import UNCACHED, FileStamps
from server.paths import subfolder

COMPILED = "compiled"
MAGIC = importlib.util.MAGIC_NUMBER
HEADER_SIZE = 16  # magic, flags, mtime, size: four bytes each


class IncompatibleCompiledApp(RuntimeError):
    """The compiled form was written by another Python version."""


def compile_code(source: str | ast.Module, filename: str) -> CodeType:
    """An app file's code as it runs: the same from source and in the compiled form, and
    without the future imports of the framework module that happens to call ``compile``."""
    return compile(source, filename, "exec", dont_inherit=True)


def model_order(relative: str) -> tuple[int, str]:
    """web2py's order of models: by depth, then by name (``db.py`` before ``default/x.py``)."""
    return relative.count("/"), relative


# ----- names ----------------------------------------------------------------------------------
def model_file(relative: str) -> str:
    """``a/b.py`` (a path under models/) as its compiled file's name, ``models.a.b.pyc``."""
    return "models." + relative[:-len(".py")].replace("/", ".") + ".pyc"


def controller_file(controller: str, function: str) -> str:
    return f"controllers.{controller}.{function}.pyc"


def view_file(view: str) -> str:
    """``default/index.html`` as ``views.default.index.html.pyc``."""
    return "views." + view.replace("/", ".") + ".pyc"


def view_lines_file(view: str) -> str:
    return view_file(view)[:-len(".pyc")] + ".lines"


def _model_of(name: str) -> str:
    return name[len("models."):-len(".pyc")].replace(".", "/") + ".py"


# ----- byte-code files --------------------------------------------------------------------------
def code_bytes(code: CodeType, source_mtime: float = 0, source_size: int = 0) -> bytes:
    """The bytes of a ``.pyc`` holding ``code``, as ``py_compile`` lays them out."""
    return (MAGIC + (0).to_bytes(4, "little") + (int(source_mtime) & 0xFFFFFFFF).to_bytes(4, "little")
            + (source_size & 0xFFFFFFFF).to_bytes(4, "little") + marshal.dumps(code))


def read_code(path: Path, app_folder: Path) -> CodeType:
    """The code in a ``.pyc`` of ``app_folder``'s compiled form, naming the app's files."""
    data = path.read_bytes()
    if data[:len(MAGIC)] != MAGIC:
        raise IncompatibleCompiledApp(
            f"{app_folder.name}/{COMPILED}/ holds byte-code of another Python version "
            f"({path.name}); this is Python {sys.version_info.major}.{sys.version_info.minor}, "
            f"so it is not run: compile the application again, or remove its compiled form "
            f"to run it from source")
    return relocated(marshal.loads(data[HEADER_SIZE:]), app_folder)


def relocated(code: CodeType, app_folder: Path) -> CodeType:
    """``code`` (and the functions and classes in it) with a relative file name put under
    ``app_folder``; absolute names (web2py's own compiled apps) are left as they are."""
    if os.path.isabs(code.co_filename):
        return code
    filename = str(app_folder / code.co_filename)
    return _renamed(code, filename)


def _renamed(code: CodeType, filename: str) -> CodeType:
    constants = tuple(_renamed(value, filename) if isinstance(value, CodeType) else value
                      for value in code.co_consts)
    return code.replace(co_filename=filename, co_consts=constants)


# ----- reading one app's compiled form ----------------------------------------------------------
class CompiledApp:
    """What one version of an app's ``compiled/`` holds; each file is read once, when first
    needed, and kept while that version lasts."""

    def __init__(self, app_folder: Path, folder: Path, stamp: tuple[int, ...]):
        self.app_folder = app_folder
        self.folder = folder
        self.stamp = stamp
        self._names = frozenset(os.listdir(folder))
        self.models = sorted((_model_of(name) for name in self._names
                              if name.startswith("models.") and name.endswith(".pyc")),
                             key=model_order)
        self._controllers = {name.split(".")[1] for name in self._names
                             if name.startswith("controllers.") and name.count(".") == 3}
        self._code: dict[str, CodeType] = {}
        self._lock = threading.Lock()

    def model(self, relative: str) -> CodeType:
        return self._load(model_file(relative))

    @property
    def has_actions(self) -> bool:
        return bool(self._controllers)

    def has_controller(self, controller: str) -> bool:
        return controller in self._controllers

    def action(self, controller: str, function: str) -> CodeType | None:
        """The code that runs ``controller/function`` and sets ``response._vars``; None when
        that function is not exposed."""
        name = controller_file(controller, function)
        return self._load(name) if name in self._names else None

    def has_view(self, view: str) -> bool:
        return view_file(view) in self._names

    def view(self, view: str) -> CodeType:
        name = view_file(view)
        code = self._code.get(name)
        if code is None:
            code = self._load(name)
            template_lines.remember_markers(code.co_filename, self._view_markers(view))
        return code

    def _view_markers(self, view: str) -> list[template_lines.Marker]:
        try:
            stored = json.loads((self.folder / view_lines_file(view)).read_text(encoding="utf-8"))
        except (OSError, ValueError):  # web2py's compiled views have none
            return []
        return [(index, line, str(self.app_folder / path)) for index, line, path in stored]

    def _load(self, name: str) -> CodeType:
        code = self._code.get(name)
        if code is None:
            code = read_code(self.folder / name, self.app_folder)
            with self._lock:
                self._code[name] = code
        return code


def of_request(request: Any) -> CompiledApp | None:
    """The compiled form the request's app runs from, looked up once when its globals were
    built (None: from source)."""
    return getattr(request, "_compiled", None)


class CompiledApps:
    """The compiled form of each app that has one. Looking costs one ``stat`` of the app's
    ``compiled/`` folder; its contents are listed again only when that folder was replaced or
    changed (compiling writes a new folder and swaps it in). A ``compiled/`` without a single
    action is no compiled form: the app runs from source."""

    def __init__(self, stamps: FileStamps = UNCACHED):
        self._entries: dict[Path, CompiledApp] = {}
        self._stamps = stamps

    def find(self, app_folder: Path) -> CompiledApp | None:
        folder = subfolder(app_folder, COMPILED)
        status = self._stamps.stat(folder)
        if status is None:
            if self._entries:  # most servers: no app compiled (hashing a Path is not free)
                self._entries.pop(app_folder, None)
            return None
        if not stat.S_ISDIR(status.st_mode):
            return None
        stamp = (status.st_ino, status.st_mtime_ns, status.st_ctime_ns)
        entry = self._entries.get(app_folder)
        if entry is None or entry.stamp != stamp:
            try:
                entry = self._entries[app_folder] = CompiledApp(app_folder, folder, stamp)
            except OSError:  # removed meanwhile: from source, then
                return None
        return entry if entry.has_actions else None  # an empty compiled/ would serve nothing
