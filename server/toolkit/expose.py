"""web2py's ``Expose``: an action that lets visitors browse a folder and download its files.

``def files(): return dict(files=Expose())`` shows the app's ``static/`` folder;
``Expose(path, basename='public')`` another one. The request's ``args`` name the sub-folder or
file; every such path goes through :func:`server.paths.safe_join`, so ``..``, absolute names and
symlinks that lead out of the folder are refused (symlinks out are also left out of listings,
whatever ``follow_symlink_out`` says: Pocketweb never serves a file outside the folder).
Dot-files, editor backups (``name~``) and anything named ``private`` are neither listed nor
served. A ``README`` in a folder is shown above its listing, as markmin.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from server.current import current
from server.forms.form import translate
from server.helpers import DIV, H2, H3, IMG, MARKMIN, SPAN, TABLE, TD, TR, A
from server.http import client_error
from server.paths import PathEscape, safe_join
from server.routing import URL
from server.toolkit.contenttype import contenttype

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".tiff")


class Expose:
    """``Expose(base=None, basename=None, extensions=None, allow_download=True,
    follow_symlink_out=False)``; raises the file itself (HTTP 200) when ``args`` name one."""

    def __init__(self, base: str | os.PathLike | None = None, basename: str | None = None,
                 extensions: list[str] | None = None, allow_download: bool = True,
                 follow_symlink_out: bool = False):
        request = current.request
        self.base = Path(base or os.path.join(request.folder, "static")).resolve()
        self.basename = basename or request.function
        self.follow_symlink_out = follow_symlink_out
        self.args = [str(arg) for arg in request.args if arg]
        target = self._target()
        if target.is_file():
            self._send(target, allow_download)
        entries = sorted(self._visible(target), key=lambda p: p.name)
        self.folders = [p.name for p in entries if p.is_dir()]
        self.filenames = [p.name for p in entries if p.is_file()]
        readme = target / "README"
        self.paragraph = MARKMIN(readme.read_text(errors="replace")) \
            if "README" in self.filenames else None
        if extensions:
            self.filenames = [name for name in self.filenames
                              if os.path.splitext(name)[1] in extensions]

    def _target(self) -> Path:
        try:
            target = safe_join(self.base, *self.args)
        except PathEscape as escape:
            raise client_error(403, "not authorized: outside the exposed folder") from escape
        if not target.exists() or self.isprivate(target):
            raise client_error(404, "file not found")
        return target

    def _send(self, target: Path, allow_download: bool):
        if not allow_download:
            raise client_error(403, "not authorized: downloads are off for this folder")
        current.response.stream(target, headers={"Content-Type": contenttype(target.name)})

    def _visible(self, folder: Path):
        for entry in folder.iterdir():
            if self.isprivate(entry) or self.issymlink_out(entry):
                continue
            yield entry

    def in_base(self, path: str | os.PathLike) -> bool:
        """True when ``path`` (symlinks followed) is the base folder or inside it."""
        resolved = Path(path).resolve()
        return resolved == self.base or self.base in resolved.parents

    def issymlink_out(self, path: str | os.PathLike) -> bool:
        """True when ``path`` is a symlink that points outside the base folder."""
        return os.path.islink(path) and not self.in_base(path)

    def isprivate(self, path: str | os.PathLike) -> bool:
        """True when a part of ``path`` below the base is a dot-file, a ``~`` backup or
        ``private``: such files are hidden and refused."""
        try:
            parts = Path(os.path.abspath(path)).relative_to(self.base).parts
        except ValueError:
            return True
        return any(part == "private" or part.startswith(".") or part.endswith("~")
                   for part in parts)

    @staticmethod
    def isimage(path: str) -> bool:
        return os.path.splitext(path)[-1].lower() in IMAGE_EXTENSIONS

    def breadcrumbs(self, basename: str) -> Any:
        """``basename / sub / folder``, each part a link to that folder."""
        trail = SPAN(A(basename, _href=URL()))
        for depth, arg in enumerate(self.args, 1):
            trail.append("/")
            trail.append(A(arg, _href=URL(args=self.args[:depth])))
        return trail

    def table_folders(self) -> Any:
        if not self.folders:
            return ""
        rows = [TR(TD(A(name, _href=URL(args=[*self.args, name])))) for name in self.folders]
        return SPAN(H3(translate("Folders")), TABLE(*rows, _class="table"))

    def table_files(self, width: int = 160) -> Any:
        if not self.filenames:
            return ""
        rows = []
        for name in self.filenames:
            link = URL(args=[*self.args, name])
            preview = IMG(_src=link, _alt=name, _style=f"max-width:{width}px") \
                if width and self.isimage(name) else ""
            rows.append(TR(TD(A(name, _href=link)), TD(preview)))
        return SPAN(H3(translate("Files")), TABLE(*rows, _class="table"))

    def xml(self) -> str:
        return DIV(H2(self.breadcrumbs(self.basename)), "" if self.paragraph is None else self.paragraph,
                   self.table_folders(), self.table_files()).xml()

    def __str__(self) -> str:
        return self.xml()
