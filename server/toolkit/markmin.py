"""MARKMIN, web2py's wiki markup, to HTML: ``markmin2html("Hello **world**")``.

The markup (web2py's book, "markmin"): ``#``-headings, paragraphs split by blank lines,
``**bold**``, ``''italic''``, ``~~strike~~``, code between double backquotes (inline, or a block
when it starts a line; ``:name`` after it is the code's class, or the function ``extra[name]``
that renders it), ``[[title link]]`` links with ``[extra]`` titles, ``popup``, anchors and
images (``left``/``right``/``center``, ``200px``), video and audio, bare URLs, ``+``/``-``
lists where the count of marks is the level, tables and blockquotes between lines of dashes
(``|`` separates cells, ``===`` lines split header, body and footer), and ``$$formula$$``.

Raw HTML in the text is escaped: markmin is meant for text users type.
"""

from __future__ import annotations

import html
import re
from typing import Any

PLACEHOLDER = "\x00{}\x00"
PLACEHOLDER_RE = re.compile("\x00(\\d+)\x00")
CODE_RE = re.compile(r"``(.*?)``(?::([\w\-]+)(?:\[([^\]\n]*)\])?)?", re.S)
VERBATIM_RE = re.compile(r"!`!`(.*?)`!`!", re.S)
LATEX_RE = re.compile(r"\$\$(.*?)\$\$", re.S)
ESCAPED_RE = re.compile(r"\\([\\'`*~\[\]{}$@])")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
RULE_RE = re.compile(r"^-{3,}(?::([\w\-]*)(?:\[([\w\-]*)\])?)?\s*$")
SECTION_RE = re.compile(r"^={3,}\s*$")
LIST_RE = re.compile(r"^\s*([+\-]+)(\.?)\s+(.*)$")
POINT_RE = re.compile(r"^\s*(\.+)\s+(.*)$")
LINK_RE = re.compile(r"\[\[(.*?)\]\]", re.S)
URL_RE = re.compile(r"(?<![\"'=\w/])(https?://(?:(?!&gt;|&lt;)[^\s<>\"'\x00])*"
                    r"(?:(?!&gt;|&lt;)[^\s<>\"'\x00.,;:!?)\]]))")
EMAIL_RE = re.compile(r"(?<![\w.\-/:])([\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,})\b")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp")
VIDEO_EXTENSIONS = (".mp4", ".webm", ".ogv", ".mov")
AUDIO_EXTENSIONS = (".mp3", ".ogg", ".wav", ".m4a")
NUMBER_RE = re.compile(r"^[\d\s.,+\-]+$")
UNSAFE_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data):", re.I)


def markmin_escape(text: str) -> str:
    """Text that markmin shows as typed: its markup characters backslash-escaped."""
    return re.sub(r"([\\'`*~\[\]{}$@])", r"\\\1", text)


class _Renderer:
    def __init__(self, extra: dict | None, id_prefix: str, class_prefix: str, sep: str,
                 autolinks: bool, url=None):
        self.extra = extra or {}
        self.id_prefix = id_prefix
        self.class_prefix = class_prefix
        self.sep = sep
        self.autolinks = autolinks
        self.url = url
        self.saved: list[str] = []

    # ----------------------------------------------------------------- protected fragments
    def keep(self, fragment: str) -> str:
        self.saved.append(fragment)
        return PLACEHOLDER.format(len(self.saved) - 1)

    def restore(self, text: str) -> str:
        while PLACEHOLDER_RE.search(text):
            text = PLACEHOLDER_RE.sub(lambda m: self.saved[int(m.group(1))], text)
        return text

    def protect(self, text: str) -> str:
        """Code, verbatim, formulas and backslash escapes become placeholders first, so no
        other rule touches them."""
        text = VERBATIM_RE.sub(lambda m: self.keep(f"<code>{html.escape(m.group(1))}</code>"), text)
        text = text.replace("!`!", "`")
        text = CODE_RE.sub(self.code, text)
        text = LATEX_RE.sub(self.latex, text)
        return ESCAPED_RE.sub(lambda m: self.keep(html.escape(m.group(1))), text)

    def code(self, match: re.Match) -> str:
        body, name, argument = match.group(1), match.group(2), match.group(3)
        if name and name in self.extra:
            function = self.extra[name]
            rendered = function(body.strip("\n")) if argument is None else \
                function(body.strip("\n"), argument)
            return self.keep(str(rendered))
        css = f' class="{html.escape(self.class_prefix + name)}"' if name else ""
        if body.startswith("\n"):
            escaped = html.escape(body.strip("\n"), quote=False)
            return "\n" + self.keep(f"<pre><code{css}>{escaped}</code></pre>") + "\n"
        return self.keep(f"<code{css}>{html.escape(body, quote=False)}</code>")

    def latex(self, match: re.Match) -> str:
        formula = match.group(1)
        if "latex" in self.extra:
            return self.keep(str(self.extra["latex"](formula)))
        return self.keep(f'<code class="latex">{html.escape(formula)}</code>')

    # ----------------------------------------------------------------- inline markup
    def inline(self, text: str) -> str:
        text = html.escape(text, quote=False)
        text = LINK_RE.sub(self.link, text)
        if self.autolinks:
            text = URL_RE.sub(lambda m: self.keep(self.bare_url(html.unescape(m.group(1)))), text)
            text = EMAIL_RE.sub(lambda m: self.keep(f'<a href="mailto:{m.group(1)}">{m.group(1)}</a>'),
                                text)
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text, flags=re.S)
        text = re.sub(r"''(.+?)''", r"<em>\1</em>", text, flags=re.S)
        return re.sub(r"~~(.+?)~~", r"<del>\1</del>", text, flags=re.S)

    def bare_url(self, url: str) -> str:
        safe = html.escape(url)
        if url.lower().endswith(IMAGE_EXTENSIONS):
            return f'<img src="{safe}" controls />'
        return f'<a href="{safe}">{safe}</a>'

    def href(self, link: str) -> str:
        if link.startswith("#"):
            return "#" + self.id_prefix + link[1:]
        if link.startswith("@") and callable(self.url):
            link = str(self.url(link))
        return "#" if UNSAFE_SCHEME_RE.match(html.unescape(link)) else link.replace('"', "%22")

    def link(self, match: re.Match) -> str:
        content = match.group(1).strip()
        if content == "NEWLINE":
            return self.keep("<br />")
        if re.fullmatch(r"[\w\-]+", content):
            return self.keep(f'<span class="anchor" id="{self.id_prefix}{content}"></span>')
        words = content.split()
        modifiers: list[str] = []
        while len(words) > 1 and (words[-1] in ("popup", "left", "right", "center", "video",
                                                "audio", "iframe")
                                  or re.fullmatch(r"\d+px", words[-1])):
            modifiers.insert(0, words.pop())
        if len(words) < 2:
            return match.group(0)
        link = words.pop()
        rest = " ".join(words)
        title_match = re.search(r"\[(.*?)\]\s*$", rest)
        title = title_match.group(1) if title_match else None
        text = rest[:title_match.start()].strip() if title_match else rest
        return self.keep(self.linked(text, title, link, modifiers))

    def linked(self, text: str, title, link: str, modifiers: list[str]) -> str:
        href = self.href(link)
        title_attribute = f' title="{_attribute(title)}"' if title else ""
        lowered = link.lower()
        if "video" in modifiers or "audio" in modifiers:
            tag = "video" if "video" in modifiers else "audio"
            return f'<{tag} controls="controls"><source src="{href}" />{self.inline_raw(text)}</{tag}>'
        width = next((m for m in modifiers if m.endswith("px")), None)
        align = next((m for m in modifiers if m in ("left", "right", "center")), None)
        if lowered.endswith(IMAGE_EXTENSIONS) or width or align:
            styles = ([f"float:{align}"] if align in ("left", "right") else []) + \
                ([f"width:{width}"] if width else [])
            style = f' style="{";".join(styles)}"' if styles else ""
            image = f'<img src="{href}" alt="{_attribute(text)}"{title_attribute}{style} />'
            return f'<p style="text-align:center">{image}</p>' if align == "center" else image
        target = ' target="_blank"' if "popup" in modifiers else ""
        return f'<a href="{href}"{title_attribute}{target}>{self.inline_raw(text)}</a>'

    def inline_raw(self, text: str) -> str:
        """Inline markup on text that is already escaped (a link's title)."""
        text = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", text)
        text = re.sub(r"''(.+?)''", r"<em>\1</em>", text)
        return re.sub(r"~~(.+?)~~", r"<del>\1</del>", text)

    # ----------------------------------------------------------------- blocks
    def blocks(self, lines: list[str]) -> str:
        out: list[str] = []
        paragraph: list[str] = []
        after_paragraph = [-1]  # len(out) right after the last paragraph was added
        index = 0

        def flush():
            if paragraph:
                joined = " ".join(line.strip() for line in paragraph)
                text = self.inline(joined)
                alone = PLACEHOLDER_RE.fullmatch(joined)  # code alone is not a paragraph
                if self.sep == "br":  # web2py: paragraphs next to each other split by <br />
                    follows_paragraph = bool(out) and after_paragraph[0] == len(out)
                    out.append(("<br />" if follows_paragraph else "") + text)
                    after_paragraph[0] = len(out)
                else:
                    out.append(f"<{self.sep}>{text}</{self.sep}>" if self.sep and not alone
                               else text)
                paragraph.clear()

        while index < len(lines):
            line = lines[index]
            stripped = line.strip()
            if not stripped:
                flush()
                index += 1
            elif PLACEHOLDER_RE.fullmatch(stripped) and self._is_block(stripped):
                flush()
                out.append(stripped)
                index += 1
            elif heading := HEADING_RE.match(stripped):
                flush()
                marks, title = heading.groups()
                out.append(f"<h{len(marks)}>{self.inline(title)}</h{len(marks)}>")
                index += 1
            elif RULE_RE.match(stripped):
                flush()
                html_block, index = self.dashed_block(lines, index)
                out.append(html_block)
            elif LIST_RE.match(line):
                flush()
                html_block, index = self.list_block(lines, index)
                out.append(html_block)
            else:
                paragraph.append(line)
                index += 1
        flush()
        return "".join(out)

    def _is_block(self, placeholder: str) -> bool:
        match = PLACEHOLDER_RE.fullmatch(placeholder)
        if match is None:
            return False
        fragment = self.saved[int(match.group(1))]
        return fragment.startswith(("<pre", "<div", "<table", "<blockquote", "<ul", "<ol", "<h"))

    def dashed_block(self, lines: list[str], start: int) -> tuple[str, int]:
        """A table or blockquote up to the next dash line; a lone dash line is a rule."""
        if start + 1 >= len(lines) or not lines[start + 1].strip():
            return "<hr />", start + 1
        end = start + 1
        while end < len(lines) and not RULE_RE.match(lines[end].strip()):
            end += 1
        body = lines[start + 1:end]
        closing = RULE_RE.match(lines[end].strip()) if end < len(lines) else None
        css, ident = (closing.group(1), closing.group(2)) if closing else (None, None)
        attributes = (f' class="{self.class_prefix}{css}"' if css else "") + \
            (f' id="{self.id_prefix}{ident}"' if ident else "")
        if any("|" in line for line in body if not SECTION_RE.match(line.strip())):
            return self.table(body, attributes), end + 1
        return f"<blockquote{attributes}>{self.blocks(_dedent(body))}</blockquote>", end + 1

    def table(self, body: list[str], attributes: str) -> str:
        sections: list[list[str]] = [[]]
        for line in body:
            if SECTION_RE.match(line.strip()):
                sections.append([])
            elif line.strip():
                sections[-1].append(line)
        if len(sections) == 1:
            parts = [("tbody", sections[0])]
        elif len(sections) == 2:
            parts = [("thead", sections[0]), ("tbody", sections[1])]
        else:
            parts = [("thead", sections[0])] + [("tbody", s) for s in sections[1:-1]] + \
                [("tfoot", sections[-1])]
        rendered = "".join(f"<{tag}>{self.rows(rows)}</{tag}>" for tag, rows in parts if rows)
        return f"<table{attributes}>{rendered}</table>"

    def rows(self, rows: list[str]) -> str:
        out = []
        for number, row in enumerate(rows):
            kind = "first" if number == 0 else ("even" if number % 2 else "odd")
            cells = "".join(self.cell(cell.strip()) for cell in row.split("|"))
            out.append(f'<tr class="{kind}">{cells}</tr>')
        return "".join(out)

    def cell(self, text: str) -> str:
        numeric = ' class="num"' if text and NUMBER_RE.match(text) else ""
        return f"<td{numeric}>{self.inline(text)}</td>"

    def list_block(self, lines: list[str], start: int) -> tuple[str, int]:
        """Consecutive list items (and their continuation lines) as nested ``ul``/``ol``."""
        items: list[tuple[int, str, list[str]]] = []
        index = start
        while index < len(lines) and lines[index].strip():
            line = lines[index]
            marker = LIST_RE.match(line)
            point = POINT_RE.match(line)
            if marker and len(set(marker.group(1))) == 1:
                kind = "ol" if marker.group(1)[0] == "+" else "ul"
                items.append((len(marker.group(1)), kind, [marker.group(3)]))
            elif point and items:
                items[-1][2].append("\n" + point.group(2))
            elif items and line[:1].isspace():
                items[-1][2].append(line)
            else:
                break
            index += 1
        return self.nest(items), index

    def nest(self, items: list[tuple[int, str, list[str]]]) -> str:
        out: list[str] = []
        open_lists: list[tuple[int, str]] = []
        for level, kind, text_lines in items:
            while open_lists and (open_lists[-1][0] > level or
                                  (open_lists[-1][0] == level and open_lists[-1][1] != kind)):
                out.append(f"</li></{open_lists.pop()[1]}>")
            if open_lists and open_lists[-1][0] == level:
                out.append("</li>")
            else:
                open_lists.append((level, kind))
                out.append(f"<{kind}>")
            out.append("<li>" + self.item_text(text_lines))
        while open_lists:
            out.append(f"</li></{open_lists.pop()[1]}>")
        return "".join(out)

    def item_text(self, text_lines: list[str]) -> str:
        paragraphs = "\n".join(line.strip() for line in text_lines).split("\n\n")
        first, *more = paragraphs
        rendered = self.inline(" ".join(first.split("\n")))
        return rendered + "".join(f"<p>{self.inline(p.strip())}</p>" for p in more if p.strip())


def _attribute(text: str) -> str:
    """Already-escaped text made safe inside a double-quoted attribute."""
    return text.replace('"', "&quot;")


def _dedent(lines: list[str]) -> list[str]:
    indents = [len(line) - len(line.lstrip()) for line in lines if line.strip()]
    cut = min(indents) if indents else 0
    return [line[cut:] for line in lines]


#: ``@{name}`` or ``@{name:argument}`` in rendered text: a call of ``environment[name]``.
ENVIRONMENT_CALL = re.compile(r"@\{(?P<name>[\w\-.]+?)(?::(?P<argument>.*?))?\}")


def replace_components(text: str, environment: dict) -> str:
    """``@{name:argument}`` replaced by ``environment[name](argument)`` (None without an
    argument), as web2py's markmin does after rendering: the result is trusted HTML (the wiki's
    ``@{component:controller/function/args}`` is a LOAD). An unknown or non-callable name
    leaves nothing; a function that fails leaves ``ERROR: <its message>``."""
    def call(match: re.Match) -> str:
        function = environment.get(match.group("name"))
        if not callable(function):
            return ""
        try:
            return str(function(match.group("argument")))
        except Exception as problem:  # noqa: BLE001 - the author's function: its error is shown
            return f"ERROR: {html.escape(str(problem))}"

    return ENVIRONMENT_CALL.sub(call, text)


def markmin2html(text: Any, extra: dict | None = None, allowed: dict | None = None,
                 sep: str = "p", autolinks: Any = "default", protolinks: Any = "default",
                 class_prefix: str = "", id_prefix: str = "markmin_",
                 pretty_print: bool = False, url: Any = None, environment: dict | None = None,
                 latex: Any = None) -> str:
    """The HTML of markmin ``text``; ``extra`` maps ``:name`` code classes to functions that
    render them (their result is trusted HTML), ``environment`` names the functions that
    ``@{name:argument}`` calls (see :func:`replace_components`)."""
    renderer = _Renderer(extra, id_prefix, class_prefix, sep, autolinks is not None, url)
    source = str(text).replace("\r\n", "\n").replace("\r", "\n")
    protected = renderer.protect(source)
    rendered = renderer.restore(renderer.blocks(protected.split("\n")))
    if environment:
        rendered = replace_components(rendered, environment)
    return rendered.replace("><", ">\n<") if pretty_print else rendered


def render(text: Any, extra: dict | None = None, **options: Any) -> str:
    """web2py's ``markmin2html.render``: the same as :func:`markmin2html`."""
    return markmin2html(text, extra, **options)
