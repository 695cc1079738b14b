"""HTML (job posts saved from the web) to lines, without the page's navigation and boilerplate.

Dropped: ``script``/``style``/``svg``/``form`` and other non-text elements; ``nav``, ``aside`` and the page's
own ``header``/``footer`` (those inside an ``article`` or ``main`` are the post's and stay); elements marked
hidden (``hidden``, ``aria-hidden``, ``display: none``); landmark roles (navigation, banner, contentinfo,
complementary, search); and class or id names of common boilerplate (cookie banners, menus, share bars,
newsletter boxes, "related jobs"). When the page has a ``main`` or ``article``, only its text is kept, plus
the page's ``h1`` if the main part has none (the job title often sits in a hero block above it).

Headings and whole-bold paragraphs become bold lines (headings sized by level), list items become
``"• "`` lines, table rows one line with cells joined by tabs. The stdlib parser is enough: it never raises on
malformed markup, and a job post is small.

Crafted markup must not outrun ``ParseLimits.timeout_s``: the open elements are counted by tag, so an end tag
that closes nothing costs O(1) however deep the nesting (it was a scan of the open stack: 32,000 nested
``<div>`` closed by as many ``</p>`` took 38 s); and the deadline is checked on every callback, because
``html.parser`` itself goes quadratic on some unfinished constructs (thousands of ``<a `` with no ``>``, an
unclosed comment full of ``<``: CPython's CVE-2025-6069) and calls back between its quadratic steps.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line
from matcher.parsing.detect import decode_text
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
#: Opening one of these closes an open one of the same kind (HTML's implied end tags).
_SELF_CLOSING = frozenset({"p", "li", "dt", "dd", "tr", "td", "th", "option"})
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
_IMPLIED_LOOKBACK = 64
#: how html.parser finds the end of a comment
_COMMENT_END_RE = re.compile(r"--\s*>")


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


class _Extractor(HTMLParser):
    def __init__(self, deadline: Deadline) -> None:
        super().__init__(convert_charrefs=True)
        self.deadline = deadline
        self.stack: list[_Open] = []
        #: how many elements of each tag are open (``stack`` by tag), so an end tag finds its element in O(1)
        self.open_tags: Counter[str] = Counter()
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

    def _skips(self, tag: str, attrs: dict[str, str | None], parent: _Open) -> bool:
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

    def _implied_end(self, tag: str) -> str | None:
        """The open element that starting ``tag`` closes, as browsers do (``<li>`` ends the previous item)."""
        if tag not in _SELF_CLOSING and tag not in _BLOCK:
            return None
        closes = {"li": ("li",), "dt": ("dt", "dd"), "dd": ("dt", "dd"), "tr": ("tr", "td", "th"),
                  "td": ("td", "th"), "th": ("td", "th"), "option": ("option",)}.get(tag, ())
        scope = {"li": ("ul", "ol"), "dt": ("dl",), "dd": ("dl",), "tr": ("table",), "td": ("tr", "table"),
                 "th": ("tr", "table")}.get(tag, ())
        # up through inline elements only, and at most _IMPLIED_LOOKBACK of them: a pile of open <span>s must not
        # make every <li> a scan of the whole stack
        for opened in itertools.islice(reversed(self.stack), _IMPLIED_LOOKBACK):
            if opened.tag in closes:
                return opened.tag
            if opened.tag in scope or opened.tag not in ("p", "span", "b", "strong", "em", "i", "a", "font"):
                break
        if self.stack and self.stack[-1].tag == "p" and tag in _BLOCK:
            return "p"
        return None

    def _tick(self) -> None:
        """Check the deadline on every callback: html.parser may spend O(input) between two of them."""
        self.deadline.check()

    def _push(self, opened: _Open) -> None:
        self.stack.append(opened)
        self.open_tags[opened.tag] += 1

    def _pop(self) -> _Open:
        opened = self.stack.pop()
        self.open_tags[opened.tag] -= 1
        return opened

    # --- parser callbacks ---------------------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tick()
        if tag == "title" and not self.open_tags["body"]:
            self.in_title = True
        implied = self._implied_end(tag)
        if implied:
            self.handle_endtag(implied)
        parent = self._top()
        attributes = dict(attrs)
        skip = parent.skip or self._skips(tag, attributes, parent)
        main = parent.main or tag in ("main", "article") or (attributes.get("role") or "") == "main"
        if main and not skip:
            self.has_main = True
        if tag in _VOID:
            if tag == "br" and not parent.skip:
                self._flush()
            return
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
        self._push(_Open(tag, skip=skip, bold=parent.bold or tag in _BOLD, main=main,
                         content=parent.content or tag in ("article", "main")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        self._tick()
        if tag == "title":
            self.in_title = False
        if tag in _VOID or not self.open_tags[tag]:
            return
        while self.stack:
            opened = self.stack[-1]  # still open while its text is flushed, so the text knows it was in main
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
            self._pop()
            if opened.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self._tick()
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

    def handle_comment(self, data: str) -> None:
        self._tick()

    def handle_decl(self, decl: str) -> None:
        self._tick()

    def handle_pi(self, data: str) -> None:
        self._tick()

    def unknown_decl(self, data: str) -> None:
        self._tick()

    def close(self) -> None:
        super().close()
        # a file cut off inside a table row or list still has text waiting there: close what is open
        if self.stack:
            self.handle_endtag(self.stack[0].tag)
        self._flush()


def parse_html(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of an HTML page's main text (see the module docstring for what is dropped)."""
    extractor = _Extractor(deadline)
    extractor.feed(decode_text(data))
    # What feed() could not parse waits in ``rawdata``: a construct the end of the file cut off. A tag or
    # declaration with no ">" after it, or a comment with no "-->", runs to the end of the file, and a browser
    # drops it; html.parser's close() would instead re-scan the rest of the file once per "<" in it (quadratic:
    # 20,000 "<a " took 39 s). Other unfinished constructs are left to close() and the deadline.
    tail = extractor.rawdata
    if tail.startswith("<") and (">" not in tail or (tail.startswith("<!--") and not _COMMENT_END_RE.search(tail))):
        extractor.rawdata = ""
    extractor.close()
    doc = RawDocument(format="html", parser="html.parser")
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
