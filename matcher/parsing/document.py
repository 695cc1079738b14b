"""What a parse returns: the visible text, its lines, and how much to trust it.

Offsets in ``lines`` index ``text``. ``text`` holds the visible text only: text a reader
cannot see (white on white, a tiny font, off the page) goes to ``hidden_text`` with its page and reason, so
keyword stuffing is reported instead of tagged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from matcher.types import TextLine

#: Formats ``parse_document`` reads, as they appear in ``ParsedDocument.format``.
DocumentFormat = Literal["pdf", "docx", "html", "markdown", "text", "jsonresume"]

#: Why a span of text was judged invisible:
#: ``white_on_white`` (near-white fill over no dark background), ``tiny_font`` (under
#: ``ParseLimits.tiny_font_pt``), ``off_page`` (drawn wholly outside the page box), ``invisible`` (PDF text
#: render mode 3 or a fully transparent fill, outside any image: an OCR layer over a scan is kept).
HiddenReason = Literal["white_on_white", "tiny_font", "off_page", "invisible"]


@dataclass(frozen=True, slots=True)
class ParseLimits:
    """Bounds on what one parse may cost; over a bound, a typed error (see ``matcher.errors``)."""

    #: file size in bytes (``too_large``)
    max_bytes: int = 10_000_000
    #: PDF pages (``too_many_pages``)
    max_pages: int = 50
    #: wall-clock seconds, checked between pages, paragraphs and elements (``parse_timeout``)
    timeout_s: float = 10.0
    #: sum of the sizes a DOCX's members declare once inflated (zip bomb guard, ``too_large``)
    max_unzipped_bytes: int = 50_000_000
    #: members in a DOCX archive (zip bomb guard, ``too_large``)
    max_zip_members: int = 2_000
    #: characters of text once parsed (``too_large``): spaCy's own bound, and far past any resume or job post
    max_chars: int = 1_000_000
    #: text drawn smaller than this many points is reported as ``tiny_font`` hidden text
    tiny_font_pt: float = 3.0

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pages", "max_unzipped_bytes", "max_zip_members", "max_chars"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ParseLimits.{name} must be positive")
        if self.timeout_s <= 0:
            raise ValueError("ParseLimits.timeout_s must be positive")


@dataclass(frozen=True, slots=True)
class HiddenSpan:
    """Text drawn so that a reader cannot see it; never part of ``ParsedDocument.text`` by default."""

    text: str
    #: 1-based page number (None for formats without pages)
    page: int | None
    reason: HiddenReason
    #: (x0, top, x1, bottom) in points from the page's top-left corner, when the format has geometry
    bbox: tuple[float, float, float, float] | None = None


@dataclass(frozen=True, slots=True)
class Diagnostics:
    """How the parse went, to tell a faithful text from a doubtful one."""

    #: the library that read the bytes: "pypdfium2", "pdfplumber" (fallback), "python-docx", "lxml",
    #: "text", "markdown", "jsonresume"
    parser: str
    #: text columns found on each page (PDF; one entry per page), () for formats without pages
    columns: tuple[int, ...] = ()
    #: share of the page area covered by text lines, mean over pages with text (PDF only)
    text_area_share: float | None = None
    #: 1-based pages that hold an image but no text: scanned pages (the document raised NoTextLayer if all are)
    scanned_pages: tuple[int, ...] = ()
    #: 1-based pages with neither text nor images
    empty_pages: tuple[int, ...] = ()
    hidden_text_count: int = 0
    #: the visible text's length in characters, and its lines
    chars: int = 0
    line_count: int = 0
    #: wall-clock time of the parse; excluded from equality so two parses of one file compare equal
    elapsed_ms: float = field(default=0.0, compare=False)

    @property
    def scanned(self) -> bool:
        """True when some page is a scan without a text layer."""
        return bool(self.scanned_pages)

    @property
    def empty(self) -> bool:
        """True when some page is blank (an empty document raises EmptyDocument instead)."""
        return bool(self.empty_pages)


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A document turned into faithful text in reading order; :mod:`matcher.analysis` reads what it says."""

    format: DocumentFormat
    text: str
    lines: tuple[TextLine, ...]
    pages: int
    diagnostics: Diagnostics
    warnings: tuple[str, ...] = ()
    hidden_text: tuple[HiddenSpan, ...] = ()

    def line_text(self, line: TextLine) -> str:
        """The text of one of this document's lines."""
        return self.text[line.start : line.end]
