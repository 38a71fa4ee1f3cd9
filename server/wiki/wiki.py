"""``Wiki``: web2py's wiki, served at one action (``def wiki(): return auth.wiki()``).

The action's first arg picks the page: a slug reads that page, a number serves that media
file, and ``_create``, ``_edit/<slug>``, ``_editmedia/<slug>``, ``_pages``, ``_search``,
``_cloud``, ``_recent/<user id>``, ``_preview`` are the wiki's own pages. Who may do what
follows web2py: anybody reads pages whose ``can_read`` has ``everybody`` (all pages unless
``manage_permissions=True``); members of ``wiki_editor`` edit and manage everything; members
of ``wiki_author`` create pages and edit their own (and those whose ``can_edit`` names one of
their groups). Every page is saved as its source and as rendered HTML (the ``html`` column).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydal import Field
from pydal.validators import IS_EMPTY_OR, IS_IN_DB, IS_NOT_IN_DB, IS_SLUG

from server.current import current
from server.forms.form import translate
from server.forms.sqlform import SQLFORM
from server.helpers import CAT, SPAN, XML, A
from server.http import client_error, redirect
from server.routing import URL
from server.storage import Storage
from server.toolkit.fileutils import check_credentials
from server.wiki import menu, search
from server.wiki.render import choose_renderer, component
from server.wiki.tables import EVERYBODY, define_wiki_tables

ACTIONS = ("_edit", "_editmedia", "_create", "_pages", "_search", "_recent", "_cloud",
           "_preview")


class Wiki:
    everybody = EVERYBODY
    rows_page = 25

    def __init__(self, auth: Any, env: dict | None = None, render: Any = "markmin",
                 manage_permissions: bool = False, force_prefix: str = "",
                 restrict_search: bool = False, extra: dict | None = None,
                 menu_groups: list | None = None, templates: Any = None, migrate: bool = True,
                 controller: str | None = None, function: str | None = None,
                 groups: list | None = None):
        self.auth, self.env = auth, {**(env or {}), "component": component}
        self.wiki_menu_items: list | None = None
        engines = {"markmin", "html"} | (set(render) if isinstance(render, dict) else set())
        render = {} if render == "multiple" else render
        settings = self.settings = Storage(
            render=render, manage_permissions=manage_permissions, restrict_search=restrict_search,
            extra=dict(extra or {}), menu_groups=menu_groups, templates=templates,
            controller=controller, function=function,
            groups=list(auth.user_groups.values()) if groups is None else list(groups),
            force_prefix=force_prefix % auth.user if auth.user else force_prefix)
        auth.settings.wiki = settings
        self.host = current.request.env.http_host
        define_wiki_tables(auth, self.get_renderer(), engines, isinstance(render, dict),
                           manage_permissions, migrate)
        db = auth.db
        if settings.templates is None and not manage_permissions:
            settings.templates = db.wiki_page.tags.contains("template") & \
                db.wiki_page.can_read.contains(EVERYBODY)
        self._admin_edits()

    def get_renderer(self) -> Callable[[Any], str]:
        return choose_renderer(self.settings.render, self.settings.extra, self.env)

    def _admin_edits(self) -> None:
        """The app's administrator (logged in to the admin) is a ``wiki_editor``, as in web2py."""
        auth = self.auth
        if not auth.user or "wiki_editor" in auth.user_groups.values() \
                or self.settings.groups != list(auth.user_groups.values()):
            return
        if not check_credentials(current.request):
            return
        group = auth.db.auth_group(role="wiki_editor")
        auth.add_membership(group.id if group else auth.add_group("wiki_editor"))
        self.settings.groups = list(auth.user_groups.values())

    # ----------------------------------------------------------------- who may do what

    def not_authorized(self, page: Any = None) -> Any:
        raise client_error(401, "not authorized")

    def can_read(self, page: Any) -> bool:
        if EVERYBODY in (page.can_read or []) or not self.settings.manage_permissions:
            return True
        if not self.auth.user:
            return False
        groups = set(self.settings.groups)
        return "wiki_editor" in groups or bool(
            groups & set((page.can_read or []) + (page.can_edit or []))) \
            or page.created_by == self.auth.user.id

    def can_edit(self, page: Any = None) -> bool:
        if not self.auth.user:
            redirect(self.auth.settings.login_url or URL("user", args="login"))
        groups = set(self.settings.groups)
        if "wiki_editor" in groups:
            return True
        if page is None:
            return "wiki_author" in groups
        return bool(groups & set(page.can_edit or [])) or page.created_by == self.auth.user.id

    def can_manage(self) -> bool:
        return bool(self.auth.user) and "wiki_editor" in self.settings.groups

    def can_search(self) -> bool:
        return True

    def can_see_menu(self) -> bool:
        if not self.auth.user:
            return False
        groups = self.settings.menu_groups
        return groups is None or any(group in groups for group in self.settings.groups)

    # ----------------------------------------------------------------- the action

    def __call__(self) -> Any:
        request, settings = current.request, self.settings
        settings.controller = settings.controller or request.controller
        settings.function = settings.function or request.function
        self.automenu()
        first = request.args(0) or "index"
        if first.isdigit():
            return self.media(int(first))
        if not first.startswith("_"):
            return self.read(first)
        if first not in ACTIONS:
            raise client_error(404, "no such wiki page")
        if first == "_edit":
            return self.edit(request.args(1) or "index", request.args(2) or 0)
        if first == "_editmedia":
            return self.editmedia(request.args(1) or "index")
        if first == "_recent":
            return self.recent(request.args(1))
        if first == "_preview":
            return self.preview(self.get_renderer())
        return getattr(self, first[1:])()

    def automenu(self) -> None:
        """Add the wiki's menu to ``response.menu`` once (``auth.wikimenu()`` in a model)."""
        if not self.wiki_menu_items and self.settings.controller and self.settings.function:
            self.wiki_menu_items = self.menu(self.settings.controller, self.settings.function)
            current.response.menu = (current.response.menu or []) + self.wiki_menu_items

    def menu(self, controller: str = "default", function: str = "index") -> list:
        return menu.wiki_menu(self, controller, function)

    def search(self, tags: list | None = None, query: Any = None, cloud: bool = True,
               preview: bool = True, limitby: tuple = (0, 100), orderby: Any = None) -> Any:
        return search.search(self, tags, query, cloud, preview, limitby, orderby)

    def cloud(self) -> dict:
        return search.cloud(self)

    def recent(self, user_id: Any) -> Any:
        if not str(user_id or "").isdigit():
            raise client_error(404, "no such author")
        db, page = self.auth.db, current.request.vars.page
        number = int(page) if str(page or "").isdigit() else 0
        return self.search(query=db.wiki_page.created_by == int(user_id),
                           orderby=~db.wiki_page.created_on | ~db.wiki_page.id,
                           limitby=(number * self.rows_page, (number + 1) * self.rows_page))

    # ----------------------------------------------------------------- pages

    def fix_hostname(self, body: str | None) -> str:
        """Pages keep links to this site as ``://HOSTNAME``; shown, they name the host asked."""
        return (body or "").replace("://HOSTNAME", f"://{self.host}")

    def first_paragraph(self, page: Any) -> str:
        if not self.can_read(page):
            return ""
        paragraphs = [p for p in (page.body or "").replace("\r", "").split("\n\n")
                      if p.strip() and not p.startswith("#")]
        return paragraphs[0] if paragraphs else ""

    def read(self, slug: str, force_render: bool = False) -> Any:
        if slug == "_cloud":
            return self.cloud()
        if slug == "_search":
            return self.search()
        page = self.auth.db.wiki_page(slug=slug)
        if page and not self.can_read(page):
            return self.not_authorized(page)
        extension = current.request.extension or "html"
        if extension == "load":
            return self.fix_hostname(page.html) if page else ""
        if not page:
            if extension != "html":
                raise client_error(404, "no such wiki page")
            return dict(content=A(translate('Create page "%s"') % slug,
                                  _href=URL(args=("_create", slug)), _class="btn"))
        html = self.get_renderer()(page) if force_render else page.html
        return dict(title=page.title, slug=page.slug, page=page, tags=page.tags,
                    content=XML(self.fix_hostname(html)) if extension == "html" else page.body,
                    created_on=page.created_on, modified_on=page.modified_on)

    def edit(self, slug: str, from_template: Any = 0) -> dict:
        db = self.auth.db
        page = db.wiki_page(slug=slug)
        if not self.can_edit(page):
            return self.not_authorized(page)
        if not page:
            self._new_page_defaults(slug, from_template)
        posted = current.request.post_vars
        if isinstance(posted.body, str):
            posted.body = posted.body.replace(f"://{self.host}", "://HOSTNAME")
        form = SQLFORM(db.wiki_page, page, deletable=True, formstyle="table2cols",
                       showid=False).process()
        if form.accepted and form.vars.get(SQLFORM.FIELDNAME_REQUEST_DELETE):
            current.session.flash = translate("page deleted")
            redirect(URL())
        if form.accepted:
            current.session.flash = translate("page created" if not page else "page saved")
            redirect(URL(args=slug))
        extra = [" ", A(translate("Media"), _href=URL(args=("_editmedia", slug)),
                        _class="btn")] if page else []
        return dict(content=CAT(form, *extra))

    def _new_page_defaults(self, slug: str, from_template: Any) -> None:
        db, prefix = self.auth.db, self.settings.force_prefix
        if not (self.can_manage() or slug.startswith(prefix)):
            current.session.flash = translate('slug must have "%s" prefix') % prefix
            redirect(URL(args="_create"))
        title = " ".join(word.capitalize() for word in slug.split("-"))
        db.wiki_page.can_read.default = [EVERYBODY]
        db.wiki_page.can_edit.default = [self.auth.user_group_role()]
        db.wiki_page.title.default, db.wiki_page.slug.default = title, slug
        db.wiki_page.body.default = self._template_body(from_template, title) \
            if slug != "wiki-menu" else "- Menu Item > @////index\n- - Submenu > @////about"

    def _template_body(self, from_template: Any, title: str) -> str:
        """The body of template page ``from_template`` when the user may read it, else a
        heading and a placeholder line."""
        default = f"## {title}\n\npage content"
        if not str(from_template or "").isdigit() or int(from_template) <= 0:
            return default
        template = self.auth.db.wiki_page(int(from_template))
        return template.body if template and self.can_read(template) else default

    def create(self) -> dict:
        if not self.can_edit():
            return self.not_authorized()
        db, request = self.auth.db, current.request
        fields = [Field("slug", default=request.args(1) or self.settings.force_prefix,
                        requires=(IS_SLUG(), IS_NOT_IN_DB(db, db.wiki_page.slug)))]
        if self.settings.templates:
            fields.append(Field(
                "from_template", "reference wiki_page",
                requires=IS_EMPTY_OR(IS_IN_DB(db(self.settings.templates), db.wiki_page._id,
                                              "%(slug)s")),
                comment=translate("Choose Template or empty for new Page")))
        form = SQLFORM.factory(*fields, submit_button=translate("Create Page from Slug"),
                               _class="well")
        if form.process().accepted:
            redirect(URL(args=("_edit", form.vars.slug, form.vars.from_template or 0)))
        return dict(content=form)

    def editmedia(self, slug: str) -> dict:
        db = self.auth.db
        page = db.wiki_page(slug=slug)
        if not (page and self.can_edit(page)):
            return self.not_authorized(page)
        media = db.wiki_media
        media.id.represent = lambda media_id, row: media_id if not row.filename else SPAN(
            f"@////{media_id}/{IS_SLUG.urlify(row.title.split('.')[0])}."
            f"{row.filename.split('.')[-1]}")
        media.wiki_page.default, media.wiki_page.writable = page.id, False
        grid = SQLFORM.grid(media.wiki_page == page.id, orderby=media.title,
                            args=["_editmedia", slug], user_signature=False)
        return dict(content=grid)

    def pages(self) -> dict:
        if not self.can_manage():
            return self.not_authorized()
        table = self.auth.db.wiki_page
        table.slug.represent = lambda slug, row: SPAN(f"@////{slug}")
        table.title.represent = lambda title, row: A(title, _href=URL(args=row.slug))
        grid = SQLFORM.grid(
            table, fields=[table.slug, table.title, table.tags, table.can_read, table.can_edit],
            links=[lambda row: A(translate("edit"), _href=URL(args=("_edit", row.slug)),
                                 _class="btn"),
                   lambda row: A(translate("media"), _href=URL(args=("_editmedia", row.slug)),
                                 _class="btn")],
            details=False, editable=False, deletable=False, create=False,
            orderby=table.title, args=["_pages"], user_signature=False)
        return dict(content=grid)

    def media(self, media_id: int) -> Any:
        """The media file ``media_id`` (``@////<id>/<name>`` in a page), cached privately."""
        request, response, db = current.request, current.response, self.auth.db
        media = db.wiki_media(media_id)
        if not media:
            raise client_error(404, "no such media")
        if self.settings.manage_permissions and not self.can_read(db.wiki_page(media.wiki_page)):
            return self.not_authorized()
        request.args = [media.filename]
        chunks = response.download(request, db, attachment=False)
        current.session.forget()
        response.headers.pop("Content-Disposition", None)
        response.headers.update({"Pragma": "cache", "Cache-Control": "private"})
        return chunks

    def preview(self, render: Any) -> Any:
        """The posted body rendered, for an author about to save it."""
        if not self.can_edit():
            return self.not_authorized()
        posted = current.request.post_vars
        page = Storage(body=posted.body or "", tags=posted.getlist("tags")
                       if hasattr(posted, "getlist") else [], render=posted.render)
        return render(page)


def auth_wiki(auth: Any, slug: str | None = None, resolve: bool = True,
              force_render: bool = False, env: dict | None = None, extra: dict | None = None,
              controller: str | None = None, function: str | None = None, **options: Any) -> Any:
    """``auth.wiki(...)``: the first call sets the wiki up; with ``resolve`` it answers the
    request (``slug`` given: only that page's content, for ``{{=auth.wiki('slug')}}``)."""
    if controller and function:
        resolve = False
    wiki = getattr(auth, "_wiki", None)
    if wiki is None:
        wiki = auth._wiki = Wiki(auth, env=env, extra=extra, controller=controller,
                                 function=function, **options)
    else:
        wiki.settings.extra = dict(extra or {})
        wiki.env.update(env or {})
    if not resolve:
        return None
    if not slug:
        answer = wiki()
    else:
        answer = wiki.read(slug, force_render)
        if isinstance(answer, dict) and "content" in answer:
            answer = answer["content"]
    return XML(answer) if isinstance(answer, str) else answer


def wikimenu(auth: Any) -> None:
    """``auth.wikimenu()`` in a model: the wiki's menu in ``response.menu`` on every page."""
    wiki = getattr(auth, "_wiki", None)
    if wiki is not None and wiki.settings.controller and wiki.settings.function:
        wiki.automenu()
