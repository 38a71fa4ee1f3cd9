"""web2py admin's "compile": an application's models, controller functions and views written as
byte-code into its ``compiled/`` folder (for distribution: the server then runs from it, the
sources may be left out), and "remove compiled", after which it runs from source again.

The new form is written into a hidden folder beside ``compiled/`` and swapped in only once every
file compiled, so a syntax error leaves the previous state as it was. The layout and the
byte-code format are :mod:`server.compiled_apps`'.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from types import CodeType

from server import compiled_apps, template_lines, views
from server.execution import exposed_actions, model_files
from server.manage.app_folders import AppError, existing_app_folder, staging_folder
from server.paths import PathEscape, safe_join

VIEW_NAME_RE = re.compile(r"^(?:[\w\-]+/)*[\w\-]+(?:\.\w+)*$")  # no hidden or backup files
CALL_ACTION = "\nresponse._vars = response._caller({function})\n"  # web2py's, so its apps run too


class CompileError(AppError):
    """A file of the app does not compile: ``str(error)`` is "<file> line <n>: <what>"."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        where = f"{path} line {line}" if line else path
        super().__init__(f"{where}: {message}")


@dataclass
class CompiledCounts:
    """What one compilation wrote; views that failed are only listed when asked to skip them."""

    models: int = 0
    functions: int = 0
    views: int = 0
    failed_views: list[str] = field(default_factory=list)

    @property
    def files(self) -> int:
        return self.models + self.functions + self.views


def compile_app(root: Path, name: str, skip_failed_views: bool = False) -> CompiledCounts:
    """Compile application ``name`` of ``root``; raises :class:`CompileError` for the first
    file that does not compile (a view too, unless ``skip_failed_views``)."""
    return compile_folder(existing_app_folder(root, name), skip_failed_views)


def remove_compiled(root: Path, name: str) -> bool:
    """Remove application ``name``'s compiled form; False when it had none."""
    return remove_compiled_folder(existing_app_folder(root, name))


def is_compiled(root: Path, name: str) -> bool:
    return _compiled_folder(existing_app_folder(root, name)).is_dir()


def only_compiled(root: Path, name: str) -> bool:
    """Whether the compiled form is all the code ``name`` has (it was distributed without its
    controllers' sources): removing that form would leave nothing to run."""
    folder = existing_app_folder(root, name)
    return _compiled_folder(folder).is_dir() and not any((folder / "controllers").glob("*.py"))


def compile_folder(app_folder: Path, skip_failed_views: bool = False) -> CompiledCounts:
    """Compile the application in ``app_folder`` (see :func:`compile_app`)."""
    app_folder = Path(app_folder).resolve()
    target = _compiled_folder(app_folder)
    staging = staging_folder(target, "compiling")
    try:
        counts = CompiledCounts()
        counts.models = _write_models(app_folder, staging)
        counts.functions = _write_controllers(app_folder, staging)
        counts.views, counts.failed_views = _write_views(app_folder, staging, skip_failed_views)
        _swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return counts


def remove_compiled_folder(app_folder: Path) -> bool:
    """Delete ``compiled/`` and the ``controllers/*.pyc`` old web2py versions left."""
    target = _compiled_folder(Path(app_folder))
    for stray in Path(app_folder, "controllers").glob("*.pyc"):
        stray.unlink()
    if not target.is_dir():
        return False
    shutil.rmtree(target)
    return True


def _compiled_folder(app_folder: Path) -> Path:
    try:
        return safe_join(app_folder, compiled_apps.COMPILED)
    except PathEscape as exc:  # a compiled/ symlink out of the app: never followed
        raise AppError(f"{app_folder.name}/{compiled_apps.COMPILED} leads outside the "
                       "application") from exc


def _swap_in(staging: Path, target: Path) -> None:
    old = None
    if target.exists():
        old = staging.with_name(staging.name + "-old")
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# ----- the three kinds -------------------------------------------------------------------------
def _write_models(app_folder: Path, staging: Path) -> int:
    relatives = model_files(app_folder)
    for relative in relatives:
        if "." in relative[:-len(".py")]:
            raise CompileError(f"models/{relative}", None, "a model's name may not contain a dot "
                               "once compiled (web2py does not run such a model); rename it")
        name, source = _source(app_folder, "models", relative)
        _write_code(staging / compiled_apps.model_file(relative), _compiled(source, name),
                    app_folder / name)
    return len(relatives)


def _write_controllers(app_folder: Path, staging: Path) -> int:
    folder = app_folder / "controllers"
    names = sorted(path.name for path in folder.glob("*.py")) if folder.is_dir() else []
    written = 0
    for name in names:
        relative, source = _source(app_folder, "controllers", name)
        _compiled(source, relative)  # a syntax error is reported once, at its own line
        for function in exposed_actions(source):
            code = _compiled(source + CALL_ACTION.format(function=function), relative)
            _write_code(staging / compiled_apps.controller_file(name[:-len(".py")], function),
                        code, app_folder / relative)
            written += 1
    return written


def _write_views(app_folder: Path, staging: Path, skip_failed: bool) -> tuple[int, list[str]]:
    views_folder = app_folder / "views"
    written, failed = 0, []
    for view in _view_names(views_folder):
        program, markers = "", []
        try:
            program, _stamps = views.template_program(views_folder, view, {}, None)
            markers = [(index, line, _relative(app_folder, path))
                       for index, line, path in template_lines.markers_of(program)]
            # named after its own file: a view's lines are mapped by its markers, which must
            # not be those of the template compiled from source
            code = compiled_apps.compile_code(
                program, f"{compiled_apps.COMPILED}/{compiled_apps.view_file(view)}")
        except Exception as exc:  # any template mistake: reported or skipped, as asked
            if not skip_failed:
                raise _view_error(view, markers, exc) from exc
            failed.append(view)
            continue
        _write_code(staging / compiled_apps.view_file(view), code, views_folder / view)
        (staging / compiled_apps.view_lines_file(view)).write_text(json.dumps(markers),
                                                                    encoding="utf-8")
        written += 1
    return written, failed


def _view_names(views_folder: Path) -> list[str]:
    names = []
    for folder, _, files in os.walk(views_folder):
        for name in files:
            relative = Path(folder, name).relative_to(views_folder).as_posix()
            if VIEW_NAME_RE.match(relative):
                names.append(relative)
    return sorted(names)


# ----- one file ----------------------------------------------------------------------------------
def _source(app_folder: Path, kind: str, relative: str) -> tuple[str, str]:
    """``(kind/relative, its text)``, read through the safe join (no symlink out of the app)."""
    name = f"{kind}/{relative}"
    try:
        return name, safe_join(app_folder, kind, relative).read_text(encoding="utf-8-sig")
    except PathEscape as exc:
        raise CompileError(name, None, "leads outside the application") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise CompileError(name, None, f"cannot be read ({exc})") from exc


def _compiled(source: str, name: str) -> CodeType:
    try:
        return compiled_apps.compile_code(source, name)
    except SyntaxError as exc:
        raise CompileError(name, exc.lineno, exc.msg) from exc


def _write_code(target: Path, code: CodeType, source: Path) -> None:
    status = source.stat()
    target.write_bytes(compiled_apps.code_bytes(code, status.st_mtime, status.st_size))


def _view_error(view: str, markers: list[template_lines.Marker], exc: Exception) -> CompileError:
    """A view's failure at the template file and line it came from, where that is known."""
    if isinstance(exc, SyntaxError):
        found = template_lines.line_in(markers, exc.lineno or 0)
        if found:
            return CompileError(found[0], found[1], exc.msg)
    return CompileError(f"views/{view}", None, f"{type(exc).__name__}: {exc}")


def _relative(app_folder: Path, path: str) -> str:
    try:
        return Path(path).relative_to(app_folder).as_posix()
    except ValueError:
        return path
