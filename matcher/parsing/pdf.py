"""PDF to lines in reading order: pypdfium2 reads the characters, ``layout`` orders them.

Which library does what, and why:

* **pypdfium2** (PDFium) is the hot path. Measured on 23 pages of real resumes it reads a page's characters in
  about 5 ms, against about 150 ms for pdfplumber (pdfminer.six underneath), and its raw API exposes what the
  layout analysis and the hidden-text checks need: ``FPDFText_GetLooseCharBox`` (a character's box),
  ``FPDFText_GetFontSize``, ``FPDFText_GetTextObject`` and, from the text object,
  ``FPDFPageObj_GetFillColor``, ``FPDFTextObj_GetTextRenderMode`` and the font (``FPDFFont_GetWeight``,
  ``FPDFFont_GetFlags`` for ForceBold, ``FPDFFont_GetBaseFontName`` for bold and icon fonts). To keep ctypes
  calls few, a token (PDFium's text between spaces) costs two box calls, its first and last characters, unless
  they disagree; object attributes are read once per text object, for the new objects of a batch of tokens at
  once. Pages and text pages are raw handles, without pypdfium2's wrappers and their finalizers.
* **Our layout analysis** (``matcher.parsing.layout``) orders the words: neither library's own text keeps the
  reading order of a two-column resume.
* **pdfplumber** earns its cost only as the fallback for files PDFium refuses as malformed: pdfminer parses
  some damaged files PDFium will not; its words go through the same layout analysis. Its table finder is not
  used: resume "tables" are rows of text that the row grouping already keeps together, and it would cost
  ~150 ms a page.

Hidden text (reported in ``ParsedDocument.hidden_text``, kept out of the text): words wholly outside the page
box (``off_page``), in render mode 3 or a transparent fill unless over an image, as an OCR layer is
(``invisible``), under ``ParseLimits.tiny_font_pt`` (``tiny_font``), and near-white fills not over a filled
dark path or an image (``white_on_white``; white text on a coloured sidebar is visible).

Glyphs of icon fonts (Font Awesome, marvosym and friends: phones, envelopes, map pins) are dropped, also where
one is glued to the word after it; a hyphen at a line end whose glyph maps to no Unicode (a control character
from a TeX font) is read as the hyphen it is.

After layout, per document: page numbers go, running footers go, running headers keep their first copy, a word
hyphenated at a line end is joined (the hyphen dropped for TeX output, which hyphenates words, kept for other
producers, which only break at real hyphens, and for common compound tails; the document's own spelling of the
word elsewhere wins over both), and each line learns from the geometry whether it runs on into the next one
(``RawLine.wraps``, see ``_soft_breaks``): a wrap inside a paragraph or a bullet, not a list of short items.
"""

from __future__ import annotations

import ctypes
import re
import statistics
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice, repeat
from types import FrameType
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from matcher.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NoTextLayer,
    SkillmatchError,
)
from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line, failure, out_of_memory
from matcher.parsing.document import HiddenReason, HiddenSpan, ParseLimits
from matcher.parsing.layout import LayoutLine, PageLayout, Word, layout_page

_TOKEN_RE = re.compile(r"[^ \t\r\n\u00a0\u2002\u2003\u2009\u200a\u3000]+")
#: a real space between two tokens (PDFium's generated line breaks are "\r\n" and do not count)
_SPACE_RE = re.compile(r"[ \t\u00a0\u2002\u2003\u2009\u200a\u3000]")
_ICON_FONT_RE = re.compile(r"fontawesome|awesome|icons?\b|glyphicons|material|academicons|ionicons|marvosym", re.I)
_BOLD_NAME_RE = re.compile(r"bold|black|heavy|semibold|demi|cmbx|cmssbx|bx\d", re.I)
_PAGE_NUMBER_RE = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,3}\s*[-–—]?(?:\s*(?:/|of)\s*\d{1,3})?$", re.I)
_HYPHEN_END_RE = re.compile(r"([^\W\d_]{2,})[-\u00ad\u2010]$")
_LOWER_START_RE = re.compile(r"^([a-z][^\W\d_]*)")
#: Second parts of compounds that are broken at their hyphen, not hyphenated: keep the hyphen for these.
_COMPOUND_TAILS = frozenset(
    {
        "native",
        "source",
        "driven",
        "based",
        "time",
        "end",
        "scale",
        "level",
        "oriented",
        "aware",
        "like",
        "first",
        "party",
        "grained",
        "tuned",
        "trained",
        "learning",
        "world",
        "art",
        "house",
        "line",
        "stack",
        "term",
        "class",
        "edge",
        "performance",
        "latency",
        "quality",
        "ready",
        "specific",
        "facing",
        "making",
        "related",
        "solving",
        "friendly",
        "focused",
        "intensive",
        "critical",
        "wide",
        "free",
        "commerce",
        "tier",
        "shot",
        "supervised",
        "training",
        "serving",
        "box",
    }
)
_MARGIN = 0.12
#: tokens read per bulk pass (the size of ``_Fast.boxes``; bounds the lists on a page of a million characters)
_CHUNK = 1024
_FPDF_ERR_PASSWORD = 4
_FPDF_ERR_SECURITY = 6
_TEXT_RENDER_INVISIBLE = 3
_PAGEOBJ_PATH = 2
_PAGEOBJ_IMAGE = 3
_PAGEOBJ_FORM = 5


@dataclass(slots=True, frozen=True)
class _ObjInfo:
    bold: bool
    icon: bool
    white: bool
    invisible: bool


#: every combination made once: a page may have an object per character (Chrome's PDFs), and a frozen
#: dataclass is slow to build
_INFOS = {
    (bold, icon, white, invisible): _ObjInfo(bold=bold, icon=icon, white=white, invisible=invisible)
    for bold in (False, True)
    for icon in (False, True)
    for white in (False, True)
    for invisible in (False, True)
}
_PLAIN = _INFOS[False, False, False, False]


@dataclass(slots=True)
class _PageWords:
    words: list[Word]
    hidden: list[tuple[Word, HiddenReason]]
    has_images: bool


class _Fast:
    """The PDFium getters called per token, character or text object, declared without argument types.

    pypdfium2's bindings type every handle as a distinct pointer class, and declared argument types of any kind
    cost a conversion per call: with none declared a call takes about half as long (~270 against ~520 ns
    measured), and these calls are most of the reading. The price is that nothing checks the arguments: a
    pointer must be passed as a ``ctypes.c_void_p`` (a plain int would go as a 32-bit C int) and a plain int
    only where the C parameter is an ``int``. Handles come back as plain ints (``c_void_p`` results), which are
    dictionary keys as they are. The font getters, called once per font, keep their declared types.

    ``boxes`` is one float buffer for the boxes of a batch of tokens, with a ready pointer to each slot
    (``slots``): PDFium writes a token's box straight into its slot. Used only under ``_PDFIUM_LOCK``.
    """

    def __init__(self) -> None:
        def bare(function: Any, restype: Any) -> Callable[..., Any]:
            address = ctypes.cast(function, ctypes.c_void_p).value
            assert address is not None
            call = ctypes.CFUNCTYPE(restype)(address)
            call.argtypes = None  # type: ignore[assignment]  # ctypes takes None (no checks); typeshed says Sequence
            return call

        def proto(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
            address = ctypes.cast(function, ctypes.c_void_p).value
            assert address is not None
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        vp = ctypes.c_void_p
        # (textpage, int index)
        self.text_object = bare(pdfium_c.FPDFText_GetTextObject, vp)
        self.font_size = bare(pdfium_c.FPDFText_GetFontSize, ctypes.c_double)
        # (textpage, int index, FS_RECTF*)
        self.loose_box = bare(pdfium_c.FPDFText_GetLooseCharBox, ctypes.c_int)
        # (textpage, int index, four unsigned int*)
        self.char_fill = bare(pdfium_c.FPDFText_GetFillColor, ctypes.c_int)
        # (text object) and (text object, four unsigned int*)
        self.object_font = bare(pdfium_c.FPDFTextObj_GetFont, vp)
        self.render_mode = bare(pdfium_c.FPDFTextObj_GetTextRenderMode, ctypes.c_int)
        self.fill_color = bare(pdfium_c.FPDFPageObj_GetFillColor, ctypes.c_int)
        self.font_name = proto(pdfium_c.FPDFFont_GetBaseFontName, ctypes.c_ulong, vp, vp, ctypes.c_ulong)
        self.font_weight = proto(pdfium_c.FPDFFont_GetWeight, ctypes.c_int, vp)
        self.font_flags = proto(pdfium_c.FPDFFont_GetFlags, ctypes.c_int, vp)
        # first characters' boxes in the first half, last characters' in the second
        self.boxes = (pdfium_c.FS_RECTF * (2 * _CHUNK))()
        self.box_values = memoryview(self.boxes).cast("B").cast("f")  # left, top, right, bottom per slot
        address, size = ctypes.addressof(self.boxes), ctypes.sizeof(pdfium_c.FS_RECTF)
        self.slots = [ctypes.c_void_p(address + k * size) for k in range(2 * _CHUNK)]
        # one fill colour (r, g, b, a) per text object of a batch, with a ready pointer to each component
        self.fills = (ctypes.c_uint * (4 * _CHUNK))()
        self.fill_values = memoryview(self.fills).cast("B").cast("I")
        address = ctypes.addressof(self.fills)
        self.fill_slots = tuple([ctypes.c_void_p(address + 4 * (4 * k + c)) for k in range(_CHUNK)] for c in range(4))
        self._text = (ctypes.c_ushort * 4096)()

    def text_buffer(self, units: int) -> Any:
        """A UTF-16 buffer of at least ``units`` code units, kept from page to page: a ctypes array of a new
        length is a new type, and making one (``create_string_buffer``) costs about 45 us."""
        if len(self._text) < units:
            self._text = (ctypes.c_ushort * (1 << (units - 1).bit_length()))()
        return self._text


_fast: _Fast | None = None


def _api() -> _Fast:
    global _fast
    if _fast is None:
        _fast = _Fast()
    return _fast


class _PageReader:
    """Reads one page's words with their cues through the raw PDFium API."""

    def __init__(self, page: Any, limits: ParseLimits) -> None:
        """``page``: a raw page handle (``FPDF_LoadPage``), not pypdfium2's ``PdfPage``, whose bookkeeping (a
        finalizer per page and per text page) costs more than the calls it wraps."""
        self.page = page
        self.limits = limits
        self.api = _api()
        bbox = pdfium_c.FS_RECTF()
        if not pdfium_c.FPDF_GetPageBoundingBox(page, bbox):
            raise pdfium.PdfiumError("Failed to get page bounding box.")
        left, bottom, right, top = bbox.left, bbox.bottom, bbox.right, bbox.top
        self.left, self.top = left, top
        self.width, self.height = right - left, top - bottom
        self._objects: dict[int | None, _ObjInfo] = {None: _PLAIN}
        #: cues read ahead for a batch (``_prefetch``), not yet asked for
        self._known: dict[int | None, _ObjInfo] = {}
        self._fonts: dict[int | None, tuple[bool, bool]] = {}
        self._backgrounds: list[tuple[float, float, float, float]] | None = None
        self._images: list[tuple[float, float, float, float]] | None = None
        self._name = ctypes.create_string_buffer(128)
        rgba = (ctypes.c_uint * 4)()
        self._rgba = memoryview(rgba).cast("B").cast("I")  # read back in one call (unpacking the array is slow)
        address = ctypes.addressof(rgba)
        self._rgba_refs = tuple(ctypes.c_void_p(address + 4 * k) for k in range(4))
        self._rect = pdfium_c.FS_RECTF()
        self._rect_ref = ctypes.c_void_p(ctypes.addressof(self._rect))
        #: font size by text object: PDFium's ``FPDFText_GetFontSize`` reads it from the character's text object
        self._sizes: dict[int | None, float] = {}

    # --- objects and fonts ---------------------------------------------------------------------------------------
    def _font(self, address: int | None) -> tuple[bool, bool]:
        cached = self._fonts.get(address)
        if cached is None:
            name, weight, flags = "", -1, 0
            if address:
                api = self.api
                # a name longer than the buffer is not written: the buffer keeps what it held (as it always did)
                length = api.font_name(address, ctypes.addressof(self._name), len(self._name))
                name = self._name.raw[: max(length - 1, 0)].decode("latin-1") if length else ""
                weight = api.font_weight(address)
                flags = api.font_flags(address)
            bold = weight >= 600 or bool(flags & (1 << 18)) or bool(_BOLD_NAME_RE.search(name))
            cached = (bold, bool(_ICON_FONT_RE.search(name)))
            self._fonts[address] = cached
        return cached

    def _prefetch(self, addresses: list[int]) -> None:
        """The cues of a batch of text objects not seen yet, each getter called over the batch at once (under
        ``map``); ``_object`` takes them from here. ``_objects`` still learns an object only when ``_object``
        asks for it: ``_tail_differs`` tells the objects seen so far from the others."""
        api = self.api
        handles = list(map(ctypes.c_void_p, addresses))
        fonts = list(map(api.object_font, handles))
        r, g, b, a = api.fill_slots
        oks = list(map(api.fill_color, handles, r, g, b, a))
        modes = list(map(api.render_mode, handles))
        rgba = iter(api.fill_values[: 4 * len(addresses)].tolist())
        known = self._known
        for address, font, ok, mode, red, green, blue, alpha in zip(
            addresses, fonts, oks, modes, rgba, rgba, rgba, rgba, strict=True
        ):
            known[address] = self._info(font, ok, (red, green, blue, alpha), mode)

    def _info(self, font: int | None, ok: int, rgba: tuple[int, int, int, int], mode: int) -> _ObjInfo:
        """A text object's cues from what PDFium said of it: its font, whether its fill colour could be read
        (``ok``: the components count only then), the colour and its render mode."""
        cues = self._fonts.get(font)
        bold, icon = self._font(font) if cues is None else cues
        red, green, blue, alpha = rgba
        white = bool(ok) and min(red, green, blue) >= 240 and alpha > 0
        invisible = mode == _TEXT_RENDER_INVISIBLE or (bool(ok) and alpha == 0)
        return _INFOS[bold, icon, white, invisible]

    def _object(self, address: int | None) -> _ObjInfo:
        info = self._objects.get(address)
        if info is None:
            info = self._known.get(address)
            if info is not None:
                self._objects[address] = info
                return info
            api = self.api
            obj = ctypes.c_void_p(address)
            font = api.object_font(obj)
            ok = api.fill_color(obj, *self._rgba_refs)
            r, g, b, a = self._rgba.tolist()
            info = self._objects[address] = self._info(font, ok, (r, g, b, a), api.render_mode(obj))
        return info

    def _scan_objects(self) -> None:
        """Filled non-white paths and images: backgrounds that make white text visible; images mark scans."""
        backgrounds: list[tuple[float, float, float, float]] = []
        images: list[tuple[float, float, float, float]] = []
        l_, b_, r_, t_ = (ctypes.c_float() for _ in range(4))
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))

        def box(obj: object) -> tuple[float, float, float, float]:
            pdfium_c.FPDFPageObj_GetBounds(obj, ctypes.byref(l_), ctypes.byref(b_), ctypes.byref(r_), ctypes.byref(t_))
            return (l_.value - self.left, self.top - t_.value, r_.value - self.left, self.top - b_.value)

        def visit(obj: object, depth: int) -> None:
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == _PAGEOBJ_IMAGE:
                images.append(box(obj))
            elif kind == _PAGEOBJ_PATH:
                if pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke)) and fill.value:
                    ok = pdfium_c.FPDFPageObj_GetFillColor(
                        obj, ctypes.byref(r), ctypes.byref(g), ctypes.byref(b), ctypes.byref(a)
                    )
                    if ok and a.value > 0 and min(r.value, g.value, b.value) < 200:
                        backgrounds.append(box(obj))
            elif kind == _PAGEOBJ_FORM and depth < 4:
                for k in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                    visit(pdfium_c.FPDFFormObj_GetObject(obj, k), depth + 1)

        for k in range(pdfium_c.FPDFPage_CountObjects(self.page)):
            visit(pdfium_c.FPDFPage_GetObject(self.page, k), 0)
        self._backgrounds, self._images = backgrounds, images

    @property
    def images(self) -> list[tuple[float, float, float, float]]:
        if self._images is None:
            self._scan_objects()
        assert self._images is not None
        return self._images

    def _over(self, word: Word, boxes: list[tuple[float, float, float, float]]) -> bool:
        x, y = (word.x0 + word.x1) / 2, word.middle
        return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    def _hidden_reason(self, word: Word, info: _ObjInfo, box_height: float) -> HiddenReason | None:
        if word.x1 <= 0 or word.x0 >= self.width or word.bottom <= 0 or word.top >= self.height:
            return "off_page"
        if info.invisible:
            # an OCR layer over a scanned image is invisible by design and is the page's only text
            return None if self._over(word, self.images) else "invisible"
        tiny = self.limits.tiny_font_pt
        if word.size < tiny or 0 < box_height < 0.6 * tiny:
            return "tiny_font"
        if info.white:
            if self._backgrounds is None:
                self._scan_objects()
            assert self._backgrounds is not None
            if not self._over(word, self._backgrounds) and not self._over(word, self.images):
                return "white_on_white"
        return None

    # --- characters to words -------------------------------------------------------------------------------------
    def read(self) -> _PageWords:
        textpage = pdfium_c.FPDFText_LoadPage(self.page)
        if not textpage:
            raise pdfium.PdfiumError("Failed to load text page.")
        try:
            return self._read(textpage)
        finally:
            pdfium_c.FPDFText_ClosePage(textpage)

    def _read(self, textpage: Any) -> _PageWords:
        count = pdfium_c.FPDFText_CountChars(textpage)
        text = _page_text(textpage, count)
        tp = ctypes.cast(textpage, ctypes.c_void_p)
        words: list[Word] = []
        hidden: list[tuple[Word, HiddenReason]] = []
        matches = _TOKEN_RE.finditer(text)
        previous_end = 0
        # a thousand tokens at a time: a page of a million characters must not hold lists for all of them
        words_text = text.replace("\ufffe", "-")  # a hyphen PDFium could not map (one character for one)
        while spans := [match.span() for match in islice(matches, _CHUNK)]:
            previous_end = self._read_tokens(tp, text, words_text, spans, previous_end, words, hidden)
        has_images = not words and bool(self.images)
        return _PageWords(words=words, hidden=hidden, has_images=has_images)

    def _read_tokens(
        self,
        tp: ctypes.c_void_p,
        text: str,
        words_text: str,
        spans: list[tuple[int, int]],
        previous_end: int,
        words: list[Word],
        hidden: list[tuple[Word, HiddenReason]],
    ) -> int:
        """Tokens (PDFium's text between spaces) to words, each PDFium getter called over the whole batch at once.

        Two box calls per token instead of one per character: PDFium already breaks tokens where the text jumps.
        Where the first and last characters disagree (a hyphenated word PDFium rejoined across a line break, a
        token wider than its letters), the token is read character by character. The calls run under ``map``
        (no interpreter loop around them) and write the boxes straight into one float array; the object
        handles come back as ints.
        """
        api = self.api
        n = len(spans)
        starts = [start for start, _ in spans]
        lasts = [end - 1 for start, end in spans if end - start > 1]
        slots = api.slots
        deque(map(api.loose_box, repeat(tp), starts, slots), maxlen=0)
        deque(map(api.loose_box, repeat(tp), lasts, islice(slots, _CHUNK, None)), maxlen=0)
        first_objects = list(map(api.text_object, repeat(tp), starts))
        objects, known = self._objects, self._known
        unseen = [a for a in dict.fromkeys(first_objects) if a not in objects and a not in known]
        if unseen:
            self._prefetch(unseen)
        values = iter(api.box_values[: 4 * n].tolist())
        last_values = iter(api.box_values[4 * _CHUNK : 4 * (_CHUNK + len(lasts))].tolist())
        # each multi-character token's last character: its text object and box (left, top, right, bottom)
        last_chars = zip(
            map(api.text_object, repeat(tp), lasts), last_values, last_values, last_values, last_values, strict=True
        )
        left, top, width, height = self.left, self.top, self.width, self.height
        tiny = self.limits.tiny_font_pt
        small = 0.6 * tiny
        sizes = self._sizes
        # min() and max() are written out below as the conditionals that pick what they pick (the first of equals)
        for (start, end), first, b_left, b_top, b_right, b_bottom in zip(
            spans, first_objects, values, values, values, values, strict=True
        ):
            # no space between this token and the last one: only PDFium's guessed line break, if anything (a
            # "1" and its superscript "st" may sit on either side of one); between tokens there is only
            # whitespace, so no space means only "\r" and "\n"
            glued = previous_end > 0 and not text[previous_end:start].strip("\r\n")
            previous_end = end
            x0, x1, y0, y1 = b_left - left, b_right - left, top - b_top, top - b_bottom
            last = first
            if end - start > 1:
                last, l_left, l_top, l_right, l_bottom = next(last_chars)
                lx0, ly0, lx1, ly1 = l_left - left, top - l_top, l_right - left, top - l_bottom
                first_height, last_height = y1 - y0, ly1 - ly0
                box_height = last_height if last_height > first_height else first_height
                overlap = (ly1 if ly1 < y1 else y1) - (ly0 if ly0 > y0 else y0)
                if (
                    overlap < 0.5 * (last_height if last_height < first_height else first_height)
                    or lx0 < x0
                    or lx1 - x0 > (end - start) * box_height
                    or box_height <= 0
                ):
                    self._read_chars(tp, text, start, end, glued, words, hidden)
                    continue
                if lx1 > x1:
                    x1 = lx1
                if ly0 < y0:
                    y0 = ly0
                if ly1 > y1:
                    y1 = ly1
            info = objects.get(first)
            if info is None:
                info = self._object(first)
            # an icon glyph glued to the word after it (no space between them) must not take the word down with it
            if (
                last != first
                and (info.icon or self._tail_differs(tp, end - 1, last, info))
                and (self._object(last) != info)
            ):
                chars = list(text[start:end].replace("\ufffe", "-"))
                self._emit(tp, chars, list(range(start, end)), (x0, y0, x1, y1), glued, words, hidden)
                continue
            if info.icon:
                continue  # a phone or envelope glyph from an icon font, mapped to a random letter
            size = sizes.get(first)
            if size is None:
                size = sizes[first] = api.font_size(tp, start)
            word = Word(words_text[start:end], x0, y0, x1, y1, size, info.bold, glued)
            # off the page, in a tiny box, or drawn by an object that may hide it: ask why
            if (
                info.invisible
                or info.white
                or size < tiny
                or x1 <= 0
                or x0 >= width
                or y1 <= 0
                or y0 >= height
                or 0 < y1 - y0 < small
            ):
                reason = self._hidden_reason(word, info, y1 - y0)
                if reason is not None:
                    hidden.append((word, reason))
                    continue
            words.append(word)
        return previous_end

    def _read_chars(
        self,
        tp: ctypes.c_void_p,
        text: str,
        start: int,
        end: int,
        glued: bool,
        words: list[Word],
        hidden: list[tuple[Word, HiddenReason]],
    ) -> None:
        """One token character by character: new words where the boxes say the text jumps."""
        rect, rect_ref = self._rect, self._rect_ref
        get_box = self.api.loose_box
        left, top = self.left, self.top
        chars: list[str] = []
        indexes: list[int] = []
        x0 = x1 = y0 = y1 = px0 = 0.0
        for j in range(start, end):
            get_box(tp, j, rect_ref)
            cx0, cx1, ctop, cbottom = rect.left - left, rect.right - left, top - rect.top, top - rect.bottom
            height = cbottom - ctop
            # a new word where the box leaves the word's band (a superscript still overlaps it), jumps back
            # before the previous character (ligature parts share one glyph box), or leaves a gap
            if chars and (
                min(y1, cbottom) - max(y0, ctop) < 0.3 * min(height, y1 - y0)
                or cx0 < px0 - 0.1 * height
                or cx0 - x1 > 0.25 * height
            ):
                # a word PDFium rejoined across a line break ends in a control character where the font maps
                # its hyphen to no Unicode (TeX fonts without a ToUnicode entry for it): that was the hyphen
                if (
                    len(chars) > 1
                    and chars[-1] < " "
                    and chars[-2].isalpha()
                    and ctop >= y1 - 0.3 * height
                    and cx0 < px0
                ):
                    chars[-1] = "-"
                self._emit(tp, chars, indexes, (x0, y0, x1, y1), glued, words, hidden)
                chars, indexes, glued = [], [], True
            if not chars:
                x0, y0, x1, y1 = cx0, ctop, cx1, cbottom
            else:
                x0, y0, x1, y1 = min(x0, cx0), min(y0, ctop), max(x1, cx1), max(y1, cbottom)
            px0 = cx0
            chars.append("-" if text[j] == "\ufffe" else text[j])
            indexes.append(j)
        if chars:
            self._emit(tp, chars, indexes, (x0, y0, x1, y1), glued, words, hidden)

    def _emit(
        self,
        tp: ctypes.c_void_p,
        chars: list[str],
        indexes: list[int],
        box: tuple[float, float, float, float],
        glued: bool,
        words: list[Word],
        hidden: list[tuple[Word, HiddenReason]],
    ) -> None:
        text_object = self.api.text_object
        first = text_object(tp, indexes[0])
        last = text_object(tp, indexes[-1]) if len(indexes) > 1 else first
        info = self._object(first)
        # an icon glyph glued to the word after it (no space between them) must not take the word down with it
        if (
            last != first
            and (info.icon or self._tail_differs(tp, indexes[-1], last, info))
            and (self._object(last) != info)
        ):
            # a word drawn in two styles (a white or icon tail glued to a visible word): split it by object
            groups: list[tuple[_ObjInfo, list[int]]] = []
            for k, j in enumerate(indexes):
                part = self._object(text_object(tp, j))
                if groups and groups[-1][0] == part:
                    groups[-1][1].append(k)
                else:
                    groups.append((part, [k]))
            rect = self._rect
            for part, ks in groups:
                xs: list[float] = []
                for k in (ks[0], ks[-1]):
                    self.api.loose_box(tp, indexes[k], self._rect_ref)
                    xs.extend((rect.left - self.left, rect.right - self.left))
                sub = "".join(chars[k] for k in ks)
                self._add(tp, sub, indexes[ks[0]], part, (min(xs), box[1], max(xs), box[3]), glued, words, hidden)
                glued = True
            return
        self._add(tp, "".join(chars), indexes[0], info, box, glued, words, hidden)

    def _tail_differs(self, tp: ctypes.c_void_p, index: int, address: int | None, info: _ObjInfo) -> bool:
        """Whether a word's last character may be drawn unlike its first: a cached object, or one text-page call
        for the fill colour, instead of the three calls a new object costs (Chrome draws every character as
        its own object)."""
        known = self._objects.get(address)
        if known is not None:
            return known != info
        if not self.api.char_fill(tp, index, *self._rgba_refs):
            return True
        r, g, b, a = self._rgba.tolist()
        white = min(r, g, b) >= 240 and a > 0
        return white != info.white or a == 0

    def _add(
        self,
        tp: ctypes.c_void_p,
        text: str,
        index: int,
        info: _ObjInfo,
        box: tuple[float, float, float, float],
        glued: bool,
        words: list[Word],
        hidden: list[tuple[Word, HiddenReason]],
    ) -> None:
        if info.icon:
            return  # a phone or envelope glyph from an icon font, mapped to a random letter
        size = self.api.font_size(tp, index)
        word = Word(text=text, x0=box[0], top=box[1], x1=box[2], bottom=box[3], size=size, bold=info.bold, glued=glued)
        reason = self._hidden_reason(word, info, box[3] - box[1])
        if reason is None:
            words.append(word)
        else:
            hidden.append((word, reason))


def _page_text(tp: object, count: int) -> str:
    """All characters of a text page, one str character per PDFium character index."""
    if count <= 0:
        return ""
    buffer = _api().text_buffer(count + 1)
    written = pdfium_c.FPDFText_GetText(tp, 0, count, buffer)
    text = ctypes.string_at(buffer, max(written - 1, 0) * 2).decode("utf-16-le", errors="replace")
    if len(text) == count:
        return text
    # characters outside the BMP take two UTF-16 units: fall back to one call per character
    return "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, j) or 0xFFFD) for j in range(count))


# --- document level ---------------------------------------------------------------------------------------------
def _hidden_spans(page_no: int, hidden: list[tuple[Word, HiddenReason]]) -> list[HiddenSpan]:
    """Consecutive hidden words of one reason on one row become one span."""
    groups: list[tuple[HiddenReason, list[Word]]] = []
    for word, reason in hidden:
        if groups:
            last_reason, last = groups[-1]
            if (
                reason == last_reason
                and abs(word.middle - last[-1].middle) <= 0.5 * max(word.size, 1.0)
                and word.x0 >= last[-1].x0
            ):
                last.append(word)
                continue
        groups.append((reason, [word]))
    spans: list[HiddenSpan] = []
    for reason, words in groups:
        text = clean_line(" ".join(w.text for w in words))
        if text:
            bbox = (
                round(min(w.x0 for w in words), 1),
                round(min(w.top for w in words), 1),
                round(max(w.x1 for w in words), 1),
                round(max(w.bottom for w in words), 1),
            )
            spans.append(HiddenSpan(text=text, page=page_no, reason=reason, bbox=bbox))
    return spans


@dataclass(slots=True)
class _Line:
    line: LayoutLine
    page: int
    block: int
    height: float
    text: str
    #: the left edge of its layout block and the right edge its text wraps at, or None when no lines show one
    edge: tuple[float, float] | None = None


_DIGITS_RE = re.compile(r"\d+")
_VOCABULARY_RE = re.compile(r"[^\W\d_][\w-]*")
#: what ``_HYPHEN_END_RE`` can end on (``$`` also matches before a final newline): a cheap test before the search
_HYPHEN_ENDINGS = ("-", "\u00ad", "\u2010", "-\n", "\u00ad\n", "\u2010\n")


def _margin_key(text: str) -> str:
    return _DIGITS_RE.sub("#", text.lower()).strip()


def _drop_headers_footers(lines: list[_Line], pages: int) -> int:
    """Remove page numbers and repeated running headers/footers; returns how many lines lost something.

    Only lines in the top or bottom ``_MARGIN`` of a page are candidates. A page number is removed wherever it
    is, also from a footer line that holds more ("Jane Roe · Resume<tab>Page 1 of 2"); a margin line whose
    text (digits aside) recurs on at least two pages and half of them is a running header (its first copy
    stays: it often carries the name) or footer (removed everywhere).
    """
    removed = 0
    margin: list[bool] = []
    for ln in lines:
        inside = ln.line.top < _MARGIN * ln.height or ln.line.bottom > (1 - _MARGIN) * ln.height
        if inside:
            parts = ln.text.split("\t")
            kept = [part for part in parts if not _PAGE_NUMBER_RE.match(part.strip())]
            if len(kept) != len(parts):
                removed += 1
                ln.text = "\t".join(kept)
        margin.append(inside)
    seen_on: dict[str, set[int]] = {}
    for ln, inside in zip(lines, margin, strict=True):
        if inside and ln.text.strip():
            seen_on.setdefault(_margin_key(ln.text), set()).add(ln.page)
    repeated = {key for key, on in seen_on.items() if len(on) >= 2 and len(on) >= 0.5 * pages}
    kept_once: set[str] = set()
    for ln, inside in zip(lines, margin, strict=True):
        if not inside or not repeated:
            continue
        key = _margin_key(ln.text)
        if key in repeated:
            # a running header keeps its first copy (it often carries the name); a footer goes entirely
            if key in kept_once or ln.line.top >= _MARGIN * ln.height:
                ln.text = ""
                removed += 1
            kept_once.add(key)
    lines[:] = [ln for ln in lines if ln.text.strip()]
    return removed


def _join_hyphenated(lines: list[_Line], tex: bool) -> None:
    """Join words split at a line end: ``develop-`` + ``ment`` -> ``development`` on the first line."""
    vocabulary: set[str] | None = None
    for i in range(len(lines) - 1):
        first, second = lines[i], lines[i + 1]
        if (
            first.block != second.block
            or first.line.paragraph != second.line.paragraph
            or not first.text.endswith(_HYPHEN_ENDINGS)
        ):
            continue
        head = _HYPHEN_END_RE.search(first.text)
        tail = _LOWER_START_RE.match(second.text)
        if not head or not tail:
            continue
        if vocabulary is None:
            # one pass over all lines (a match never crosses the newline that joins them)
            vocabulary = set(map(str.lower, _VOCABULARY_RE.findall("\n".join(ln.text for ln in lines))))
        left, right = head.group(1), tail.group(1)
        joined, hyphenated = (left + right).lower(), f"{left}-{right}".lower()
        if hyphenated in vocabulary and joined not in vocabulary:
            keep_hyphen = True
        elif joined in vocabulary:
            keep_hyphen = False
        else:
            keep_hyphen = not tex or right.lower() in _COMPOUND_TAILS
        rest = second.text[tail.end() :].lstrip(" ")
        first.text = first.text[:-1] + ("-" if keep_hyphen else "") + right
        punct = re.match(r"^[,.;:!?)\]]+", rest)
        if punct:
            first.text += punct.group(0)
            rest = rest[punct.end() :].lstrip(" ")
        second.text = rest
    lines[:] = [ln for ln in lines if ln.text.strip()]


_LETTER_SPACED_RE = re.compile(r"^(?:[^\W\d_] ){3,}[^\W\d_]$")
#: a line that starts a list item: a bullet (already written as "• " by ``clean_line``), a dash or star, or a
#: number or letter marker ("1.", "2)", "(a)", "[3]", "iv.")
_ITEM_START_RE = re.compile(
    r"^(?:[\u2022*\u00b7\u22c5\-\u2013\u2014](?:\s|$)|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)](?:\s|$)|[(\[]\d{1,3}[)\]]"
    # a labelled item of a skills list: "ML: PyTorch, Hugging Face" / "Data & retrieval: pgvector, ..."
    r"|[A-Z][\w&/+.\- ]{0,30}:\s)",
    re.I,
)
#: how a line ends when its text runs on: a comma, a dash or slash, or a word that cannot end an item or sentence
_RUN_ON_END_RE = re.compile(
    r"(?:[,/&+\-\u2013(]|\b(?:and|or|of|in|on|at|by|to|for|with|from|into|using|via|the|a|an|as|such|including|"
    r"like|across|over|under|between|through|than|that|which|while))$",
    re.I,
)


def _wrap_edge(block: list[LayoutLine]) -> tuple[float, float] | None:
    """The block's left edge and the right edge its running text wraps at, or None where its lines show none.

    The edge is the end of the widest line of three words or more, provided other such lines end within two font
    sizes of it too (three lines, or two in a short block) and the lines ending there start at a few left edges
    only: one long item in a list of short ones shows no edge, nor does right-aligned or centred text.
    """
    lines = [line for line in block if "\t" not in line.text and line.text.count(" ") >= 2]
    if len(lines) < 2:
        return None
    edge = max(line.x1 for line in lines)
    size = statistics.median(line.size for line in block) or 10.0
    near = sum(1 for line in lines if line.x1 >= edge - 2 * size)
    if not (near >= 3 or (near >= 2 and 2 * near >= len(lines))):
        return None
    ending = [line for line in block if "\t" not in line.text and line.x1 >= edge - 2 * size]
    starts = {round(line.x0 / 2) for line in ending}
    return None if len(starts) > max(3, len(ending) // 2) else (min(line.x0 for line in block), edge)


def _same_style(a: _Line, b: _Line) -> bool:
    """Same weight and a size within 10%: a heading and the text under it differ."""
    return a.line.bold == b.line.bold and a.line.size / 1.1 <= b.line.size <= 1.1 * a.line.size


def _soft_breaks(lines: list[_Line]) -> list[bool]:
    """Which lines run on into the next one (``RawLine.wraps``), from the geometry of the page.

    A line is *full* when the next line is the same paragraph of the same block in the same style (not a heading
    and its text), does not start a list item, and the line, at least half its block's width, ends so near the
    block's wrap edge that the next line's first word would not have fitted after it: it broke because it ran out
    of room. A line that ends a block, a row with a tab (a title and its date) and a line of a block with no wrap
    edge are never full.

    Geometry alone cannot tell a full line from a long item of a list with no markers ("Open Source Software
    Engineering" above "Advanced Graphics" in a narrow column), so a full line wraps on one more sign: it ends with
    a comma, a dash or a word like "and" or "with"; its item began with a bullet or a number (the lines are the
    item's continuation); all the lines of its paragraph, three or more, are full but the last (running text); or
    the next line does not start in upper case, unless lines that surely end an item are followed by lower-case
    starts in that paragraph too (an address, a list of lower-case names).
    """
    count = len(lines)
    full = [False] * count
    for i in range(count - 1):
        current, following = lines[i], lines[i + 1]
        if (
            current.block != following.block
            or current.edge is None
            or not following.text.strip()
            or "\t" in current.text
            or _ITEM_START_RE.match(following.text)
            or not _same_style(current, following)
        ):
            continue
        line, after = current.line, following.line
        left, edge = current.edge
        if line.x1 - line.x0 < 0.5 * (edge - left):
            continue  # a short line set at the right (an address beside a letter) does not run on
        first = following.text.split(None, 1)[0]
        char_width = (after.x1 - after.x0) / max(len(after.text), 1)
        full[i] = edge - line.x1 < (len(first) + 1) * char_width + 0.3 * line.size
    wraps = [False] * count
    start = 0
    while start < count:
        end = start  # the run of lines of one paragraph in one style
        while (
            end + 1 < count and lines[end + 1].block == lines[start].block and _same_style(lines[end], lines[end + 1])
        ):
            end += 1
        running = end - start >= 2 and all(full[start:end])
        lower_items = sum(1 for i in range(start, end) if not full[i] and lines[i + 1].text.lstrip()[:1].islower())
        marked = False
        for i in range(start, end):
            if _ITEM_START_RE.match(lines[i].text):
                marked = True
            elif i == start or not full[i - 1]:
                marked = False  # a line after a hard break starts an item with no marker
            if full[i]:
                opening = lines[i + 1].text.lstrip()[:1]
                wraps[i] = (
                    running
                    or marked
                    or (lower_items < 2 and not opening.isupper())
                    or bool(_RUN_ON_END_RE.search(lines[i].text.rstrip()))
                )
        start = end + 1
    return wraps


def _open(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (_FPDF_ERR_PASSWORD, _FPDF_ERR_SECURITY):
            raise EncryptedDocument("encrypted PDF: it needs a password to open") from None
        raise


#: PDFium is not thread-safe, not even across documents: one parse at a time per process (the API runs
#: blocking endpoints in a thread pool). Processes do not share it.
_PDFIUM_LOCK = threading.Lock()


def parse_pdf(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of a PDF in reading order, with hidden text set apart (see the module docstring)."""
    with _PDFIUM_LOCK:
        try:
            pdf = _open(data)
        except SkillmatchError:
            raise
        except Exception as exc:  # PDFium refused the file: pdfminer may still read it
            reason = failure(exc)
        else:
            try:
                return _parse_pdfium(pdf, limits, deadline)
            except SkillmatchError:
                raise
            except MemoryError:
                raise out_of_memory() from None
            except Exception as exc:
                raise CorruptDocument(f"damaged PDF: {failure(exc)}") from None
            finally:
                pdf.close()
    return _parse_with_pdfplumber(data, limits, deadline, reason=reason)


def _check_pages(count: int, limits: ParseLimits) -> None:
    if count > limits.max_pages:
        raise DocumentTooLarge(f"PDF has {count} pages, over the limit of {limits.max_pages}", code="too_many_pages")
    if count == 0:
        raise CorruptDocument("damaged PDF: no pages")


def _parse_pdfium(pdf: pdfium.PdfDocument, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    count = len(pdf)
    _check_pages(count, limits)
    producer = f"{pdf.get_metadata_value('Producer')} {pdf.get_metadata_value('Creator')}".lower()
    doc = RawDocument(format="pdf", parser="pypdfium2", pages=count)
    layouts: list[tuple[int, PageLayout, float, float]] = []
    scanned: list[int] = []
    empty: list[int] = []
    for index in range(count):
        deadline.check()
        # the raw handles (what ``pdf[index]`` and ``get_textpage`` wrap, with a finalizer each): no form
        # environment is set up, so loading and closing a page is these two calls
        page = pdfium_c.FPDF_LoadPage(pdf.raw, index)
        if not page:
            raise pdfium.PdfiumError("Failed to load page.")
        try:
            reader = _PageReader(page, limits)
            found = reader.read()
        finally:
            pdfium_c.FPDF_ClosePage(page)
        doc.hidden.extend(_hidden_spans(index + 1, found.hidden))
        if not found.words:
            (scanned if found.has_images else empty).append(index + 1)
        layouts.append((index + 1, layout_page(found.words), reader.width, reader.height))
    return _finish(doc, layouts, scanned, empty, tex="tex" in producer)


def _finish(
    doc: RawDocument,
    layouts: list[tuple[int, PageLayout, float, float]],
    scanned: list[int],
    empty: list[int],
    *,
    tex: bool,
) -> RawDocument:
    lines: list[_Line] = []
    block = 0
    shares: list[float] = []
    for page_no, layout, width, height in layouts:
        area = 0.0
        for blk in layout.blocks:
            edge = _wrap_edge(blk)
            for line in blk:
                width_, height_ = line.x1 - line.x0, line.bottom - line.top
                area += (0 if width_ < 0 else width_) * (0 if height_ < 0 else height_)  # max(..., 0), as it was
                text = clean_line(line.text)
                if _LETTER_SPACED_RE.match(text):
                    text = text.replace(" ", "")
                lines.append(
                    _Line(
                        line=line,
                        page=page_no,
                        block=block * 1000 + line.paragraph,
                        height=height,
                        text=text,
                        edge=edge,
                    )
                )
            block += 1
        if layout.blocks and width > 0 and height > 0:
            shares.append(min(area / (width * height), 1.0))
    doc.columns = tuple(layout.columns if layout.blocks else 0 for _, layout, _, _ in layouts)
    doc.text_area_share = round(sum(shares) / len(shares), 3) if shares else 0.0
    doc.scanned_pages, doc.empty_pages = tuple(scanned), tuple(empty)
    if not lines:
        if scanned:
            raise NoTextLayer("scanned PDF: the pages are images without a text layer (OCR it first)")
        return doc  # parse_document raises EmptyDocument, with the hidden text counted in the message
    removed = _drop_headers_footers(lines, len(layouts))
    _join_hyphenated(lines, tex)
    wraps = _soft_breaks(lines)
    doc.lines = [
        RawLine(text=ln.text, page=ln.page, bold=ln.line.bold, size=ln.line.size, block=ln.block, wraps=w)
        for ln, w in zip(lines, wraps, strict=True)
    ]
    if removed:
        doc.warnings.append(f"removed {removed} running header, footer or page-number lines")
    if scanned:
        pages = ", ".join(map(str, scanned))
        doc.warnings.append(f"page {pages} has no text layer (a scanned image?): its text is missing")
    return doc


#: pdfminer writes glyphs it cannot map to Unicode as "(cid:127)": alone they are mostly bullets
_CID_RE = re.compile(r"\(cid:\d+\)")


def _cid(match: re.Match[str]) -> str:
    return BULLET if match.group(0) == match.string else ""


# --- fallback ---------------------------------------------------------------------------------------------------
class _Expired(BaseException):
    """The deadline passed inside pdfminer: a BaseException, so that its ``except Exception`` cannot swallow it."""


@contextmanager
def _deadline_inside(deadline: Deadline) -> Iterator[None]:
    """Check the deadline every 1,024 Python calls while pdfminer runs, and raise ``_Expired`` past it.

    pdfminer calls us back only between pages, and opening the pages of a damaged file is one call that can
    take minutes: it may read the same stretch of the file again for every object a broken cross-reference
    table points into it (fuzzing found it; samples/broken/fuzz-xref-stream-into-junk.pdf, 17 KB, took 10 s,
    a 3.4 MB one 33 s). A profile function (this thread only) is the one way in; it costs the
    fallback about 1.8x its time, and the fallback only reads files PDFium refuses. Under a profiler (a profile
    function already set) it stays out, and the deadline is checked between pages only.
    """
    if sys.getprofile() is not None:
        yield
        return
    calls = 0

    def profile(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        calls += 1
        if not calls & 1023 and deadline.expired():
            raise _Expired

    sys.setprofile(profile)
    try:
        yield
    finally:
        sys.setprofile(None)


def _parse_with_pdfplumber(data: bytes, limits: ParseLimits, deadline: Deadline, *, reason: str) -> RawDocument:
    """Read a PDF PDFium refused with pdfplumber (pdfminer.six): slower, more forgiving with damaged files."""
    import io
    import logging
    import warnings

    import pdfplumber

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    try:
        with _deadline_inside(deadline), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pdf = pdfplumber.open(io.BytesIO(data))
            pages = None
            try:
                pages = pdf.pages
                _check_pages(len(pages), limits)
                doc = RawDocument(format="pdf", parser="pdfplumber", pages=len(pages))
                layouts: list[tuple[int, PageLayout, float, float]] = []
                empty: list[int] = []
                for index, page in enumerate(pages):
                    deadline.check()
                    words = [
                        Word(
                            text=text,
                            x0=float(w["x0"]),
                            top=float(w["top"]),
                            x1=float(w["x1"]),
                            bottom=float(w["bottom"]),
                            size=float(w.get("size") or 10.0),
                            bold=bool(_BOLD_NAME_RE.search(str(w.get("fontname", "")))),
                        )
                        for w in page.extract_words(x_tolerance_ratio=0.15, extra_attrs=["size", "fontname"])
                        if (text := _CID_RE.sub(_cid, w["text"]))
                    ]
                    if not words:
                        empty.append(index + 1)
                    layouts.append((index + 1, layout_page(words), float(page.width), float(page.height)))
            finally:
                # pdfplumber's close() first loads every page: past the deadline, loading them is what ran late
                if pages is not None:
                    pdf.close()
    except SkillmatchError:
        raise
    except _Expired:
        raise deadline.error() from None
    except Exception:
        raise CorruptDocument(f"damaged PDF: {reason}") from None
    result = _finish(doc, layouts, [], empty, tex=False)
    result.warnings.append(f"PDFium could not open the file ({reason}); read with pdfplumber instead")
    return result
