"""HTML (job posts saved from the web) to lines, without the page's navigation and boilerplate.

Dropped: ``script``/``style``/``svg``/``form`` and other non-text elements; ``nav``, ``aside`` and the page's
own ``header``/``footer`` (those inside an ``article`` or ``main`` are the post's and stay); elements marked
hidden (``hidden``, ``aria-hidden``, ``display: none``); landmark roles (navigation, banner, contentinfo,
complementary, search); and class or id names of common boilerplate (cookie banners, menus, share bars,
newsletter boxes, "related jobs"). When the page has a ``main`` or ``article``, only its text is kept, plus
the page's ``h1`` if the main part has none (the job title often sits in a hero block above it).

Headings and whole-bold paragraphs become bold lines (headings sized by level), list items become
``"• "`` lines, table rows one line with cells joined by tabs.

libxml2 (through lxml) builds the tree: it repairs malformed markup (implied end tags, stray end tags,
unclosed constructs) in C, in linear time, where the stdlib parser went quadratic on crafted input. It refuses
nesting deeper than 256 levels; such a file is reported as corrupt rather than cut short silently. The tree is
walked without recursion, checking the deadline every few hundred elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from matcher.errors import CorruptDocument
from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line
from matcher.parsing.detect import declared_charset, decode_text
from matcher.parsing.document import ParseLimits

_SKIP = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed", "canvas", "video",
    "audio", "map", "button", "select", "textarea", "form", "nav", "aside", "dialog", "head",
})
_VOID = frozenset({"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "source", "track", "wbr"})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "ul", "ol", "li", "dl", "dt", "dd", "table",
    "thead", "tbody", "tfoot", "tr", "blockquote", "pre", "figure", "figcaption", "address", "details",
    "summary", "h1", "h2", "h3", "h4", "h5", "h6", "body", "html",
})
_PARAGRAPH = frozenset({"p", "ul", "ol", "table", "section", "article", "blockquote", "pre", "dl", "h1", "h2",
                        "h3", "h4", "h5", "h6"})
_HEADING_SIZES = {"h1": 24.0, "h2": 18.0, "h3": 15.0, "h4": 13.0, "h5": 12.0, "h6": 11.0}
_BOLD = frozenset({"b", "strong"})
_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alertdialog"})
_BOILERPLATE_RE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|breadcrumbs?|cookies?|consent|gdpr|site-header|site-footer|"
    r"page-footer|sidebar|share|sharing|social|newsletter|subscribe|related|recommended|similar-jobs|promo|advert|"
    r"ads|skip-link|visually-hidden|sr-only|screen-reader-text)(?:$|[-_\s])",
    re.IGNORECASE,
)
_HIDDEN_STYLE_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_WS_RE = re.compile(r"\s+")
#: elements walked between two looks at the deadline
_DEADLINE_EVERY = 256


@dataclass(slots=True)
class _Open:
    tag: str
    skip: bool
    bold: bool
    main: bool
    content: bool  # inside article/main: its header and footer are content


@dataclass(slots=True)
class _Line:
    parts: list[tuple[str, bool]] = field(default_factory=list)
    heading: str | None = None
    prefix: str = ""


class _Extractor:
    """Lines from the start, end and text events of a walk over the tree."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.line = _Line()
        self.cells: list[str] | None = None
        self.lines: list[tuple[RawLine, bool]] = []  # (line, inside main)
        self.block = 0
        self.ordinals: list[int] = []
        self.has_main = False
        self.title: list[str] = []
        self.in_title = False
        self.pre = 0

    # --- state ----------------------------------------------------------------------------------------------------
    def _top(self) -> _Open:
        return self.stack[-1] if self.stack else _Open("", skip=False, bold=False, main=False, content=False)

    def _skips(self, tag: str, attrs: dict[str, str], parent: _Open) -> bool:
        if tag in _SKIP:
            return True
        if tag in ("header", "footer") and not parent.content:
            return True
        if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
            return True
        if (attrs.get("role") or "").lower() in _ROLES:
            return True
        if _HIDDEN_STYLE_RE.search(attrs.get("style") or ""):
            return True
        names = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
        return tag not in ("body", "html", "main", "article") and bool(_BOILERPLATE_RE.search(names))

    def _flush(self) -> None:
        line = self.line
        self.line = _Line()
        text = clean_line(_WS_RE.sub(" ", "".join(t for t, _ in line.parts)))
        if not text:
            return
        if self.cells is not None and line.heading is None:
            self.cells.append(text)
            return
        letters = [(len(t.strip()), b) for t, b in line.parts if t.strip()]
        total = sum(n for n, _ in letters) or 1
        bold = line.heading is not None or sum(n for n, b in letters if b) / total >= 0.9
        size = _HEADING_SIZES.get(line.heading or "")
        if line.prefix:
            text = clean_line(line.prefix + text)
        self.lines.append((RawLine(text=text, bold=bold, size=size, block=self.block), self._top().main))

    def _flush_row(self) -> None:
        self._flush()
        if self.cells:
            self.lines.append((RawLine(text="\t".join(self.cells), block=self.block), self._top().main))
        self.cells = [] if self.cells is not None else None

    # --- tree events -------------------------------------------------------------------------------------------
    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if tag == "title":
            self.in_title = True
        parent = self._top()
        skip = parent.skip or self._skips(tag, attributes, parent)
        main = parent.main or tag in ("main", "article") or (attributes.get("role") or "") == "main"
        if main and not skip:
            self.has_main = True
        if tag == "br" and not parent.skip:
            self._flush()
        if not skip and (tag in _BLOCK or tag in ("td", "th")):
            if tag in ("td", "th"):
                self._flush()
            else:
                self._flush()
                if tag in _PARAGRAPH:
                    self.block += 1
            if tag in _HEADING_SIZES:
                self.line.heading = tag
            elif tag == "li":
                ordinal = self.ordinals[-1] if self.ordinals else 0
                if ordinal:
                    self.ordinals[-1] += 1
                self.line.prefix = f"{ordinal}. " if ordinal else f"{BULLET} "
            elif tag == "ol":
                self.ordinals.append(1)
            elif tag == "ul":
                self.ordinals.append(0)
            elif tag == "tr":
                self.cells = []
            elif tag == "pre":
                self.pre += 1
        self.stack.append(_Open(tag, skip=skip, bold=parent.bold or tag in _BOLD, main=main,
                                content=parent.content or tag in ("article", "main")))

    def end(self) -> None:
        opened = self.stack[-1]  # still open while its text is flushed, so the text knows it was in main
        if opened.tag == "title":
            self.in_title = False
        if not opened.skip:
            if opened.tag in ("td", "th"):
                self._flush()
            elif opened.tag == "tr":
                self._flush_row()
                self.cells = None
            elif opened.tag in _BLOCK:
                self._flush()
                if opened.tag in ("ul", "ol") and self.ordinals:
                    self.ordinals.pop()
                if opened.tag == "pre":
                    self.pre = max(self.pre - 1, 0)
        self.stack.pop()

    def data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
            return
        top = self._top()
        if top.skip:
            return
        if self.pre:
            for i, piece in enumerate(data.split("\n")):
                if i:
                    self._flush()
                self.line.parts.append((piece, top.bold))
            return
        self.line.parts.append((data, top.bold))

    def close(self) -> None:
        self._flush()


def _walk(root: lxml.html.HtmlElement, extractor: _Extractor, deadline: Deadline) -> None:
    """Feed the extractor the tree's events in document order: start, text, children, end, tail."""
    walked = 0
    for event, element in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):  # an entity or other non-element node
            continue
        if event == "start":
            walked += 1
            if walked % _DEADLINE_EVERY == 0:
                deadline.check()
            extractor.start(tag.lower(), {str(k).lower(): str(v) for k, v in element.attrib.items()})
            if element.text:
                extractor.data(element.text)
        else:
            extractor.end()
            if element.tail:
                extractor.data(element.tail)


def parse_html(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of an HTML page's main text (see the module docstring for what is dropped)."""
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    text = decode_text(data, declared=declared_charset(data))
    try:
        root = lxml.html.document_fromstring(text, parser=parser) if text.strip() else None
    except lxml.etree.ParserError:  # nothing but markup that holds no element
        root = None
    if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
        raise CorruptDocument("corrupt file: HTML nested deeper than the parser allows (256 levels)")
    deadline.check()
    extractor = _Extractor()
    if root is not None:
        _walk(root, extractor, deadline)
    extractor.close()
    doc = RawDocument(format="html", parser="lxml")
    pairs = extractor.lines
    if extractor.has_main:
        kept = [line for line, in_main in pairs if in_main]
        if not any(line.size == _HEADING_SIZES["h1"] for line in kept):
            h1 = next((line for line, in_main in pairs if not in_main and line.size == _HEADING_SIZES["h1"]), None)
            if h1 is not None:
                kept.insert(0, h1)
        doc.lines = kept
    else:
        doc.lines = [line for line, _ in pairs]
    if not any(line.size == _HEADING_SIZES["h1"] for line in doc.lines):
        title = clean_line(_WS_RE.sub(" ", "".join(extractor.title)))
        if title:
            doc.lines.insert(0, RawLine(text=title, bold=True, size=_HEADING_SIZES["h1"], block=-1))
    return doc
