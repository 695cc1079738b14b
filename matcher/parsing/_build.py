"""What every format parser shares: the line records they emit, character clean-up and the deadline.

Each parser turns bytes into a ``RawDocument`` (lines with layout cues, in reading order); ``assemble`` joins
the lines into the one text and the ``TextLine`` offsets into it, so every format gets the same offsets rule.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field

from matcher.errors import DocumentTooLarge, ParseTimeout
from matcher.parsing.document import HiddenSpan
from matcher.types import TextLine

BULLET = "\u2022"

#: Ligatures and typographic spaces some PDF fonts and word processors emit, to plain letters and spaces.
_TRANSLATE: dict[int, str] = {
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st", 0xFB06: "st",
    0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2004: " ", 0x2005: " ", 0x2006: " ", 0x2007: " ", 0x2008: " ",
    0x2009: " ", 0x200A: " ", 0x202F: " ", 0x205F: " ", 0x3000: " ",
    0x200B: "", 0x200C: "", 0x200D: "", 0x2060: "", 0xFEFF: "", 0xFFFD: "", 0xFFFE: "", 0x00AD: "",
    # bullet glyphs (dingbats, geometric shapes, and the Symbol/Wingdings private-use code points Word uses)
    0x25CF: BULLET, 0x25CB: BULLET, 0x25E6: BULLET, 0x25AA: BULLET, 0x25AB: BULLET, 0x25A0: BULLET,
    0x25A1: BULLET, 0x25C6: BULLET, 0x25C7: BULLET, 0x25BA: BULLET, 0x25B6: BULLET, 0x27A2: BULLET,
    0x27A4: BULLET, 0x2023: BULLET, 0x2043: BULLET, 0x2219: BULLET, 0x2713: BULLET, 0x2714: BULLET,
    0x2756: BULLET, 0x29BF: BULLET, 0x26AC: BULLET,
    0xF0B7: BULLET, 0xF0A7: BULLET, 0xF0D8: BULLET, 0xF076: BULLET, 0xF0FC: BULLET, 0xF0A8: BULLET,
    0xF06C: BULLET, 0xF06E: BULLET, 0xF0D7: BULLET,
}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ue000-\uf8ff]")
_SPACES_RE = re.compile(r"[ \u00a0]{2,}")
#: A bullet at the start of a line: glyphs already mapped to BULLET, plus "-", "*", "·", "–" and friends.
_LEADING_BULLET_RE = re.compile(r"^[\u2022*\u00b7\u22c5\-\u2013\u2014]\s*(?=\S)")


def clean_text(text: str) -> str:
    """One run of text with ligatures split, bullets unified, controls and icon code points dropped."""
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    return _CONTROL_RE.sub("", text)


def clean_line(text: str) -> str:
    """A whole line: ``clean_text``, collapsed spaces, and a leading bullet written as ``"• "``."""
    text = _SPACES_RE.sub(" ", clean_text(text)).strip(" ")
    # "-5%" or "*args" are not bullets: a bullet is a real bullet glyph, or a dash or star before a space
    if len(text) > 1 and (text[0] == BULLET or (text[0] in "*\u00b7\u22c5-\u2013\u2014" and text[1] in " \t")):
        text = _LEADING_BULLET_RE.sub(BULLET + " ", text, count=1)
    return text


@dataclass(slots=True)
class RawLine:
    """One line of a document as a parser found it, before offsets exist."""

    text: str
    page: int | None = None
    bold: bool = False
    size: float | None = None
    #: lines of different blocks (columns, table cells, pages) are separated by a blank line
    block: int = 0
    #: the line's sentence runs on into the next line (a wrap inside a paragraph or bullet, not a list
    #: boundary): a multi-word skill may cross the newline after it
    wraps: bool = False


@dataclass(slots=True)
class RawDocument:
    """A parser's output: lines in reading order plus what it learnt about the file."""

    format: str
    parser: str
    lines: list[RawLine] = field(default_factory=list)
    pages: int = 1
    warnings: list[str] = field(default_factory=list)
    hidden: list[HiddenSpan] = field(default_factory=list)
    columns: tuple[int, ...] = ()
    text_area_share: float | None = None
    scanned_pages: tuple[int, ...] = ()
    empty_pages: tuple[int, ...] = ()


def assemble(lines: list[RawLine]) -> tuple[str, tuple[TextLine, ...]]:
    """Join lines with newlines (a blank line between blocks) and record each line's offsets."""
    parts: list[str] = []
    records: list[TextLine] = []
    pos = 0
    block: int | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if block is not None:
            sep = "\n\n" if line.block != block else "\n"
            parts.append(sep)
            pos += len(sep)
        block = line.block
        parts.append(text)
        records.append(
            TextLine(start=pos, end=pos + len(text), page=line.page, bold=line.bold, size=line.size, wraps=line.wraps)
        )
        pos += len(text)
    return "".join(parts), tuple(records)


class Deadline:
    """A wall-clock budget checked between pages, paragraphs and elements (a library call is not cut short)."""

    __slots__ = ("_end", "_seconds")

    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._end = time.monotonic() + seconds

    def expired(self) -> bool:
        return time.monotonic() > self._end

    def error(self) -> ParseTimeout:
        # no file name: the CLI names the file itself, and the service's details never quote one
        return ParseTimeout(f"parsing took longer than {self._seconds:g} s")

    def check(self) -> None:
        if time.monotonic() > self._end:
            raise self.error()


#: What a library's failure on bad bytes says, in our words: the libraries' own messages may quote the document
#: (lxml names the tags it choked on, pdfminer prints the tokens around a syntax error, a KeyError its key), and
#: an error's message reaches logs and API answers. Matched on the exception's class and its bases, by name, so
#: that no parser library is imported to build the table.
_FAILURES: dict[str, str] = {
    "BadZipFile": "not a valid zip archive",
    "LargeZipFile": "not a valid zip archive",
    "XMLSyntaxError": "its XML is malformed",
    "ParseError": "its XML is malformed",
    "ExpatError": "its XML is malformed",
    "JSONDecodeError": "not valid JSON",
    "UnicodeError": "its text is not in a known encoding",
    "NotImplementedError": "it uses a feature the parser does not support",
    "RecursionError": "nested too deeply",
    "PdfiumError": "PDFium cannot read it",
    "PSException": "its structure is malformed",
    "PDFException": "its structure is malformed",
    "KeyError": "a part the format requires is missing",
    "IndexError": "a part the format requires is missing",
    "EOFError": "it ends too soon",
    "zlib.error": "a compressed stream is damaged",
    "error": "a compressed stream is damaged",
}


def failure(exc: BaseException) -> str:
    """A library's exception as one line of our own text naming its class: never the exception's message.

    >>> failure(KeyError("jane.doe@example.com"))
    'a part the format requires is missing (KeyError)'
    """
    for cls in type(exc).__mro__:
        text = _FAILURES.get(cls.__name__)
        if text is not None:
            return f"{text} ({type(exc).__name__})"
    return f"the parser could not read it ({type(exc).__name__})"


def out_of_memory() -> DocumentTooLarge:
    """The error for a parse that ran out of memory: the document is too large to read, whatever its size."""
    return DocumentTooLarge("the document needs more memory to parse than allowed")
