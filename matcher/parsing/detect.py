"""Which format a document is, from its bytes: an upload named ``cv.pdf`` may be a Word file or a screenshot.

Binary formats have signatures (``%PDF``, a zip holding ``word/document.xml``). Text formats are told apart
by content: HTML by its tags, JSON Resume by its ``basics``/``work`` keys, Markdown by its markup. Only
Markdown and plain text can look alike; there a ``.md`` file name breaks the tie.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import unicodedata
import zipfile

from matcher.errors import CorruptDocument, UnsupportedFormat
from matcher.parsing._build import failure
from matcher.parsing.document import DocumentFormat

#: Signatures of formats we refuse, so the error can say what the file is.
_KNOWN_BINARY: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"BM", "a BMP image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls); save it as .docx or PDF"),
    (b"{\\rtf", "an RTF file; save it as .docx or PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"%!PS", "a PostScript file"),
)
_HTML_RE = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:div|p|h[1-6]|ul|li|article|main|section|span)[\s>]",
    re.IGNORECASE,
)
_META_CHARSET_RE = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([a-zA-Z0-9_:.-]+)", re.IGNORECASE)
#: how much of an undeclared, non-UTF-8 text charset-normalizer reads, and how many non-Latin letters in
#: its decoding make its guess believable
_GUESS_BYTES = 65_536
_FOREIGN_LETTERS = 8
_MARKDOWN_SIGNALS = (
    re.compile(r"^#{1,6}\s+\S", re.MULTILINE),  # ATX heading
    re.compile(r"^\S.*\n(?:=+|-+)\s*$", re.MULTILINE),  # setext heading
    re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__"),  # strong emphasis
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # link
    re.compile(r"^```", re.MULTILINE),  # code fence
    re.compile(r"^\s*\|.*\|\s*$\n^\s*\|?\s*:?-{3,}", re.MULTILINE),  # table
)


def decode_text(data: bytes, *, declared: str | None = None) -> str:
    """Bytes of a text format to str, never failing: a BOM, then UTF-8, then the charset the file declares
    (``<meta charset>``), then charset-normalizer's guess when it reads as another script (Cyrillic, CJK...),
    else Windows-1252, what old Western editors save.

    charset-normalizer alone mistakes short Western texts for Central European or DOS code pages ("naïve"
    read as "naďve"), so its guess is taken only when the letters it decodes are mostly not Latin.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        return data.decode(declared, errors="replace")
    import charset_normalizer  # here: most text is UTF-8, and importing it costs ~12 ms of every start-up

    guess = charset_normalizer.from_bytes(data[:_GUESS_BYTES]).best()
    if guess is not None and guess.encoding:
        text = data.decode(guess.encoding, errors="replace")
        letters = [c for c in text[:_GUESS_BYTES] if not c.isascii() and c.isalpha()]
        foreign = sum(not unicodedata.name(c, "LATIN").startswith("LATIN") for c in letters)
        if foreign >= _FOREIGN_LETTERS and foreign * 2 > len(letters):
            return text
    return data.decode("cp1252", errors="replace")


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML file declares in its first KB (``<meta charset=...>`` or ``http-equiv``), as
    browsers read it: an unknown name is ignored and "iso-8859-1" means Windows-1252."""
    found = _META_CHARSET_RE.search(data[:1024])
    if found is None:
        return None
    try:
        name = codecs.lookup(found[1].decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _looks_binary(data: bytes) -> bool:
    head = data[:4096]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) * 0.05


def _sniff_zip(data: bytes) -> DocumentFormat:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception as exc:  # zipfile raises a zoo: BadZipFile, NotImplementedError (a "version 9.3" zip), ...
        raise CorruptDocument(f"damaged zip archive (DOCX?): {failure(exc)}") from None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise UnsupportedFormat("unsupported format: an Excel workbook; send a PDF, DOCX, HTML or text file")
    if "ppt/presentation.xml" in names:
        raise UnsupportedFormat("unsupported format: a PowerPoint file; send a PDF, DOCX, HTML or text file")
    if "content.xml" in names and "mimetype" in names:
        raise UnsupportedFormat("unsupported format: an OpenDocument file; save it as .docx or PDF")
    raise UnsupportedFormat("unsupported format: a zip archive that is not a Word document")


def _is_json_resume(text: str) -> bool:
    stripped = text.lstrip()
    if not stripped.startswith("{"):
        return False
    try:
        value = json.loads(stripped)
    except (ValueError, RecursionError):
        return False
    if not isinstance(value, dict):
        return False
    return isinstance(value.get("basics"), dict) or isinstance(value.get("work"), list)


def is_markdown(text: str) -> bool:
    """Two kinds of Markdown markup, or an ATX heading (``# Title``), make a text Markdown."""
    head = text[:20_000]
    hits = [bool(pattern.search(head)) for pattern in _MARKDOWN_SIGNALS]
    return hits[0] or sum(hits) >= 2


def sniff_format(data: bytes, filename: str | None = None) -> DocumentFormat:
    """The format of a document's bytes; ``filename`` only separates Markdown from plain text.

    Raises ``UnsupportedFormat`` for anything else (images, spreadsheets, binaries) and ``CorruptDocument``
    for a damaged zip.

    Example
    -------
    >>> sniff_format(b"%PDF-1.7 ...")
    'pdf'
    """
    head = data[:1024]
    if data[:1024].lstrip(b"\x00\t\n\r ").startswith(b"%PDF-") or b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _sniff_zip(data)
    for signature, what in _KNOWN_BINARY:
        if data.startswith(signature):
            raise UnsupportedFormat(f"unsupported format: {what}")
    if _looks_binary(data):
        raise UnsupportedFormat("unsupported format: binary data that is not a PDF or DOCX")
    text = decode_text(data[:2_000_000])
    if _is_json_resume(text):
        return "jsonresume"
    if text.lstrip().startswith(("{", "[")):
        try:
            json.loads(text)
        except (ValueError, RecursionError):
            pass
        else:
            raise UnsupportedFormat("unsupported format: JSON that is not a JSON Resume (no basics/work keys)")
    if _HTML_RE.search(data[:65536]) and text.lstrip()[:1] == "<":
        return "html"
    if filename and filename.lower().endswith((".md", ".markdown")):
        return "markdown"
    if filename and filename.lower().endswith(".txt"):
        return "text"
    return "markdown" if is_markdown(text) else "text"
