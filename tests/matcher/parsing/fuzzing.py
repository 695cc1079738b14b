"""Mutators and the one property of parser fuzzing, shared by ``test_fuzz.py`` and ``benchmarks/fuzz_parsers.py``.

Inputs are real files (our samples and ``../shared/data/documents``) damaged the ways uploads get damaged or
crafted: byte flips, truncation, chunks deleted, duplicated or inserted; for PDFs also numbers, keywords and the
inflated content streams; for DOCX the zip members (removed, renamed, emptied, sizes lied about) and the XML
inside them; for HTML unclosed tags, deep nesting, odd encodings and NUL bytes.

Every mutator draws its choices from a ``Chooser``: hypothesis (``HypothesisChooser``, so failures shrink) or a
seeded ``random.Random`` (``RandomChooser``: the atheris harness and its fallback). The property
(``check``): ``parse_document`` returns a ``ParsedDocument`` or raises a ``DocumentError`` with a code and a
one-line message, within ``ParseLimits.timeout_s`` plus ``TIME_MARGIN_S``, with a bounded Python heap peak
(tracemalloc) and a bounded growth of the process's peak RSS (which sees PDFium's and libxml2's C heaps).
"""

from __future__ import annotations

import codecs
import io
import random
import re
import time
import tracemalloc
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

from matcher.errors import DocumentError
from matcher.parsing import ParsedDocument, ParseLimits, parse_document

if TYPE_CHECKING:
    from hypothesis.strategies import DataObject

REPO = Path(__file__).resolve().parents[3]
SAMPLES = REPO / "samples"
DOCUMENTS = REPO.parent / "shared" / "data" / "documents"

Format = Literal["pdf", "docx", "html"]
T = TypeVar("T")

#: The limits fuzzed inputs are parsed under: the defaults, but a 2 s budget, so that an input that runs away
#: shows as a time-limit failure in seconds, not minutes.
LIMITS = ParseLimits(timeout_s=2.0)
#: Past the deadline, a parse may still finish the step it is in (a PDF page, 50 DOCX paragraphs, one HTML
#: event) and the text stages after the last check (sections, experience, personal data). The longest such
#: step seen on mutated real files is a page read by the pdfplumber fallback, about 0.4 s on a developer
#: machine: the margin allows five times that for a slow, shared CI machine. (Not yet bounded: personal data
#: on a text of a million characters with thousands of findings, ~17 s after the last check, matcher/pii.py.)
TIME_MARGIN_S = 2.0
#: Python heap peak allowed per parse (tracemalloc): a constant for the libraries' working set (pdfminer's
#: object cache, python-docx's part objects, the layout of a page) plus a multiple of the input's size, where
#: the size of a zip is what its members declare inflated (bounded by ParseLimits.max_unzipped_bytes). The
#: multiple was set by html.parser, the worst of the parsers (up to 190x the input: a (name, value) tuple per
#: attribute of ``<a <a <a ...``); HTML is now read by libxml2 in C, and our own stages stay under 40x (the
#: text, lines and offsets).
MEMORY_BASE = 32 * 2**20
MEMORY_PER_INPUT_BYTE = 256
#: Growth of the process's peak resident memory per parse (Linux VmHWM, reset before each parse where the
#: kernel allows it; it sees PDFium's and libxml2's C heaps, which tracemalloc does not, and the tracer's
#: own bookkeeping): a constant for PDFium's per-document and per-page structures and libxml2's trees, plus
#: the same per-byte multiple.
RSS_BASE = 256 * 2**20


def effective_size(data: bytes) -> int:
    """The input's size, or for a zip archive (DOCX) the larger sum of the sizes its members declare."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return max(len(data), sum(info.file_size for info in archive.infolist()))
        except Exception:  # not a readable zip: the parser refuses it before inflating anything
            return len(data)
    return len(data)


def memory_cap(data: bytes) -> int:
    """The Python heap peak allowed for one parse of ``data`` (see ``MEMORY_BASE``)."""
    return MEMORY_BASE + MEMORY_PER_INPUT_BYTE * effective_size(data)


def rss_cap(data: bytes) -> int:
    """The resident memory growth allowed for one parse of ``data`` (see ``RSS_BASE``)."""
    return RSS_BASE + MEMORY_PER_INPUT_BYTE * effective_size(data)


def _peak_rss_reset() -> int | None:
    """Reset the process's peak RSS and return the current RSS in bytes; None where Linux does not allow it."""
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
        return _status("VmRSS")
    except OSError:
        return None


def _status(field: str) -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise OSError(f"no {field} in /proc/self/status")


# --- seeds ------------------------------------------------------------------------------------------------------
_SEED_PATHS: dict[Format, tuple[str, ...]] = {
    "pdf": (
        "samples/resumes/ml_engineer_one_column.pdf",
        "samples/resumes/nlp_engineer_two_column_sidebar.pdf",
        "samples/broken/keyword_stuffing.pdf",
        "shared/deedy/MacFonts_deedy_resume.pdf",
        "shared/sb2nov/sourabh_bajaj_resume.pdf",
        "shared/resume-matcher/Resume_archive/john_doe.pdf",
        "shared/resume-matcher/JobDescriptionArchive/job_desc_java_developer.pdf",
    ),
    "docx": (
        "samples/resumes/applied_scientist_table_header.docx",
        "samples/broken/keyword_stuffing.docx",
        "shared/resume-matcher/JobDesc_docx_2020/Data Scientist.docx",
        "shared/resume-matcher/JobDesc_docx_2020/Backend Developer.docx",
    ),
    "html": ("samples/jobs/senior_nlp_engineer_post.html",),
}


def seed_paths(fmt: Format) -> list[Path]:
    """Real files of one format that exist here (the shared ones are absent outside the project's machines)."""
    paths = []
    for name in _SEED_PATHS[fmt]:
        path = DOCUMENTS / name.removeprefix("shared/") if name.startswith("shared/") else REPO / name
        if path.is_file():
            paths.append(path)
    return paths


def seeds(fmt: Format) -> list[bytes]:
    return [path.read_bytes() for path in seed_paths(fmt)]


# --- choices ----------------------------------------------------------------------------------------------------
class Chooser(Protocol):
    """Where a mutator's choices come from."""

    def integer(self, low: int, high: int) -> int: ...

    def choice(self, options: Sequence[T]) -> T: ...

    def raw(self, max_size: int) -> bytes: ...


class RandomChooser:
    """Choices from a seeded ``random.Random``: reproducible from the seed, no shrinking."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def raw(self, max_size: int) -> bytes:
        return self.rng.randbytes(self.rng.randint(1, max_size))


class HypothesisChooser:
    """Choices drawn from hypothesis, so that a failing input shrinks (towards the first seed, fewer changes)."""

    def __init__(self, data: DataObject) -> None:
        from hypothesis import strategies as st  # here: the atheris harness imports this module without it

        self._st = st
        self.data = data

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(self._st.integers(low, high))

    def choice(self, options: Sequence[T]) -> T:
        return options[self.integer(0, len(options) - 1)]

    def raw(self, max_size: int) -> bytes:
        return self.data.draw(self._st.binary(min_size=1, max_size=max_size))


# --- byte-level mutations (every format) -------------------------------------------------------------------------
_INTERESTING_BYTES = b"\x00\x01\x7f\x80\xff<>/()[]{}%#&;=\"' \n\r\\"


def _span(c: Chooser, data: bytes | bytearray, max_len: int) -> tuple[int, int]:
    start = c.integer(0, max(len(data) - 1, 0))
    return start, min(len(data), start + c.integer(1, max_len))


def flip(data: bytes, c: Chooser) -> bytes:
    """XOR a few random bytes, or set them to bytes that mean something to a parser."""
    out = bytearray(data)
    if not out:
        return data
    for _ in range(c.integer(1, 16)):
        at = c.integer(0, len(out) - 1)
        out[at] = c.choice(_INTERESTING_BYTES) if c.integer(0, 1) else out[at] ^ c.integer(1, 255)
    return bytes(out)


def truncate(data: bytes, c: Chooser) -> bytes:
    return data[: c.integer(0, max(len(data) - 1, 0))]


def delete_chunk(data: bytes, c: Chooser) -> bytes:
    start, end = _span(c, data, 8192)
    return data[:start] + data[end:]


def duplicate_chunk(data: bytes, c: Chooser) -> bytes:
    """Copy a chunk elsewhere, up to 64 times: repeated objects, streams, paragraphs and tags."""
    start, end = _span(c, data, 4096)
    at = c.integer(0, len(data))
    return data[:at] + data[start:end] * c.integer(1, 64) + data[at:]


def insert_chunk(data: bytes, c: Chooser) -> bytes:
    at = c.integer(0, len(data))
    return data[:at] + c.raw(512) + data[at:]


BYTE_MUTATIONS: tuple[Callable[[bytes, Chooser], bytes], ...] = (
    flip, truncate, delete_chunk, duplicate_chunk, insert_chunk,
)


# --- PDF ------------------------------------------------------------------------------------------------------------
_NUMBER_RE = re.compile(rb"-?\d+(?:\.\d+)?")
_PDF_WORDS = (
    b"endstream", b"endobj", b"xref", b"trailer", b"startxref", b"stream", b" obj", b"/Length", b"/Root",
    b"/Pages", b"/Kids", b"/Count", b"/Type", b"/Filter", b"/FlateDecode", b"/Font", b"/Contents",
    b"/MediaBox", b"/Resources", b"/Parent", b"%%EOF", b"<<", b">>", b"[", b"]", b" R",
)
_ODD_NUMBERS = (
    b"0", b"-1", b"1", b"2147483647", b"2147483648", b"4294967296", b"-2147483649", b"9223372036854775808",
    b"99999999999999999999999999", b"1e308", b"-0", b".", b"3.4e38", b"NaN",
)
_STREAM_RE = re.compile(rb"stream\r?\n")


def pdf_number(data: bytes, c: Chooser) -> bytes:
    """An offset, length, count or object number replaced by a boundary value."""
    numbers = list(_NUMBER_RE.finditer(data[:2_000_000]))
    if not numbers:
        return flip(data, c)
    for _ in range(c.integer(1, 4)):
        if not numbers:
            break
        found = c.choice(numbers)
        data = data[: found.start()] + c.choice(_ODD_NUMBERS) + data[found.end() :]
        numbers = list(_NUMBER_RE.finditer(data[:2_000_000]))
    return data


def pdf_keyword(data: bytes, c: Chooser) -> bytes:
    """A structural keyword deleted or garbled (``endstream``, ``xref``, ``/Root``, ``>>`` ...)."""
    word = c.choice(_PDF_WORDS)
    places = [m.start() for m in re.finditer(re.escape(word), data)]
    if not places:
        return truncate(data, c)
    at = c.choice(places)
    replacement = c.choice((b"", word[:-1], word + word, b"X" * len(word), b"<<" * 300, b"[" * 5000))
    return data[:at] + replacement + data[at + len(word) :]


def pdf_stream(data: bytes, c: Chooser) -> bytes:
    """A Flate content stream inflated, its operators mutated, deflated again (so PDFium parses them)."""
    streams = []
    for m in _STREAM_RE.finditer(data):
        end = data.find(b"endstream", m.end())
        if end < 0:
            continue
        try:
            streams.append((m.end(), end, zlib.decompressobj().decompress(data[m.end() : end], 4_000_000)))
        except zlib.error:
            continue
    if not streams:
        return pdf_keyword(data, c)
    start, end, content = c.choice(streams)
    how = c.integer(0, 4)
    if how == 0:
        content = flip(content, c)
    elif how == 1:
        content = duplicate_chunk(content, c)
    elif how == 2:  # operators nested deep or left open
        op = c.choice((b"q ", b"BT ", b"[", b"<<", b"("))
        at = c.integer(0, len(content))
        content = content[:at] + op * c.integer(1, 20_000) + content[at:]
    elif how == 3:
        content = pdf_number(content, c)
    else:
        content = truncate(content, c)
    packed = zlib.compress(content)
    return data[:start] + packed + b"\n" + data[end:]


# Format-specific mutations come first in each list: hypothesis draws small indices more often than others.
PDF_MUTATIONS = (pdf_stream, pdf_number, pdf_keyword, *BYTE_MUTATIONS)


# --- DOCX ----------------------------------------------------------------------------------------------------------
_TAG_RE = re.compile(rb"<(/?)([\w:]+)[^<>]*?(/?)>")


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:  # a damaged archive (a mutation of a mutation): fall back to byte mutations
        return None


def _zip(members: Sequence[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate member names are one of the mutations
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in members:  # a fixed date: the same choices make the same bytes, run after run
                archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content,
                                 compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def xml_structure(xml: bytes, c: Chooser) -> bytes:
    """Tags removed, elements duplicated or wrapped deep, a DOCTYPE with entities, odd attribute values."""
    tags = list(_TAG_RE.finditer(xml))
    # the mutations that keep the XML well formed (2, 3, 5) are drawn twice as often: they reach python-docx
    # and our reader, where broken XML stops at lxml
    how = c.choice((2, 3, 5, 2, 3, 5, 4, 0, 1, 6))
    if not tags or how == 0:
        return flip(xml, c)
    tag = c.choice(tags)
    if how == 1:  # a start or end tag gone: unbalanced XML
        return xml[: tag.start()] + xml[tag.end() :]
    if how == 2:  # an element (from this start tag to its end tag) repeated
        name = tag.group(2)
        close = xml.find(b"</" + name + b">", tag.end())
        if tag.group(1) or tag.group(3) or close < 0:
            return xml[: tag.end()] + xml[tag.start() : tag.end()] * c.integer(1, 200) + xml[tag.end() :]
        element = xml[tag.start() : close + len(name) + 3]
        return xml[: tag.start()] + element * c.integer(2, 200) + xml[tag.start() :]
    if how == 3:  # deep nesting of containers the reader recurses into
        opening, closing = c.choice((
            (b"<w:sdt><w:sdtContent>", b"</w:sdtContent></w:sdt>"),
            (b"<w:tbl><w:tr><w:tc>", b"<w:p/></w:tc></w:tr></w:tbl>"),
            (b"<w:p><w:r><w:t>", b"</w:t></w:r></w:p>"),
            (b"<w:txbxContent>", b"</w:txbxContent>"),
        ))
        depth = c.integer(1, 400)
        at = xml.find(b"<w:p ") if b"<w:p " in xml else tag.start()
        return xml[:at] + opening * depth + closing * depth + xml[at:]
    if how == 4:  # billion laughs: entities are not expanded (resolve_entities=False), check that it stays so
        doctype = (b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                   b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e SYSTEM "file:///etc/passwd">]>')
        start = xml.find(b"?>") + 2 if xml.startswith(b"<?xml") else 0
        text_at = xml.find(b"<w:t>")
        body = xml[start:]
        if text_at > start:
            body = xml[start : text_at + 5] + b"&c;&e;" + xml[text_at + 5 :]
        return xml[:start] + doctype + body
    if how == 5:  # attribute values: negative, huge, not numbers
        values = list(re.finditer(rb'(w:val|w:w|w:sz|w:id|r:id|w:ilvl|w:numId)="[^"]*"', xml))
        if not values:
            return flip(xml, c)
        found = c.choice(values)
        value = c.choice((b"-1", b"0", b"99999999999999999999", b"abc", b"", b"1e9", b"rId999", b"\xff"))
        return xml[: found.start()] + found.group(1) + b'="' + value + b'"' + xml[found.end() :]
    # how == 6: re-encoded, or the declared encoding lies
    if c.integer(0, 1):
        return codecs.BOM_UTF16_LE + xml.decode("utf-8", "replace").encode("utf-16-le")
    return re.sub(rb'encoding="[^"]*"', c.choice((b'encoding="utf-16"', b'encoding="bogus"')), xml, count=1)


def docx_member(data: bytes, c: Chooser) -> bytes:
    """A zip member removed, renamed, emptied, replaced, duplicated, or its XML mutated."""
    members = _members(data)
    if not members:
        return flip(data, c)
    items = [(info.filename, content) for info, content in members]
    xml_names = [i for i, (name, _) in enumerate(items) if name.endswith((".xml", ".rels"))]
    how = 5 - c.integer(0, 5)  # the XML inside first
    index = c.choice(xml_names) if how == 5 and xml_names else c.integer(0, len(items) - 1)
    # the main document part is where most of the parsing happens: mutate it more often
    if how == 5 and c.integer(0, 1):
        index = next((i for i, (name, _) in enumerate(items) if name == "word/document.xml"), index)
    name, content = items[index]
    if how == 0:
        del items[index]
    elif how == 1:
        renamed = c.choice(("word/Document.xml", "word/document.xml", "/" + name, name + "x", "../" + name))
        items[index] = (renamed, content)
    elif how == 2:
        items[index] = (name, c.choice((b"", b"<", b"\x00" * 64, items[c.integer(0, len(items) - 1)][1])))
    elif how == 3:
        items.insert(c.integer(0, len(items)), (name, flip(content, c)))
    elif how == 4:
        items[index] = (name, c.choice(BYTE_MUTATIONS)(content, c))
    else:
        items[index] = (name, xml_structure(content, c))
    if not items:
        return b"PK\x05\x06" + b"\x00" * 18
    return _zip(items)


def docx_sizes(data: bytes, c: Chooser) -> bytes:
    """The central directory lies: a member's declared size, compressed size or method changed."""
    places = [m.start() for m in re.finditer(rb"PK\x01\x02", data)]
    if not places:
        return flip(data, c)
    entry = c.choice(places)
    field, width = c.choice(((10, 2), (20, 4), (24, 4), (42, 4)))  # method, compressed, size, header offset
    value = c.choice((0, 1, 99, 0xFFFF, 0xFFFFFFFF, 2**31, c.integer(0, 2**20)))
    value &= (1 << (8 * width)) - 1
    at = entry + field
    return data[:at] + value.to_bytes(width, "little") + data[at + width :]


#: the archive's bytes damaged (mostly a CRC error) are one case; its members and their XML are where the parser
#: does its work, so they are drawn three times as often
DOCX_MUTATIONS = (*[docx_member] * 15, docx_sizes, *BYTE_MUTATIONS)


# --- HTML ---------------------------------------------------------------------------------------------------------
_HTML_OPENERS = (
    b"<div>", b"<p>", b"<b>", b"<span>", b"<ul><li>", b"<ol><li>", b"<table><tr><td>", b"<main>", b"<pre>",
    b"<h1>", b"<li>", b"<article>", b"<a href='x'>", b"<div hidden>", b"<font>",
)
_HTML_UNTERMINATED = (
    b"<!--", b"<![CDATA[", b"<?", b"<!", b"<script>", b"<style>", b"<title>", b"<a ", b"</", b"<a href='",
    b"&#", b"<textarea>", b"<svg>", b"<p <p", b"<li",
)
_HTML_ENTITIES = (
    b"&#0;", b"&#xD800;", b"&#x110000;", b"&#99999999999999999999;", b"&nbsp", b"&amp;amp;", b"&#x1F600;",
    b"&;", b"&#-1;", b"&#x;",
)
_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "utf-7", "cp037")


def html_structure(data: bytes, c: Chooser) -> bytes:
    """Unclosed or missing tags, deep nesting, unterminated constructs, entity soup, giant attributes."""
    how = c.integer(0, 6)
    if how == 0:  # closing tags dropped (some or all)
        closers = list(re.finditer(rb"</\w+\s*>", data))
        if not closers:
            return flip(data, c)
        if c.integer(0, 1):
            return re.sub(rb"</\w+\s*>", b"", data)
        found = c.choice(closers)
        return data[: found.start()] + data[found.end() :]
    if how == 1:  # start tags left open: their ">" gone
        ends = [m.end() - 1 for m in re.finditer(rb"<\w+[^<>]*>", data)]
        if not ends:
            return flip(data, c)
        at = c.choice(ends)
        return data[:at] + data[at + 1 :]
    at = c.integer(0, len(data))
    if how == 2:  # deep nesting, optionally closed by tags that were never opened
        depth = c.integer(1, 30_000)
        chunk = c.choice(_HTML_OPENERS) * depth + b"x"
        if c.integer(0, 1):
            chunk += c.choice((b"</p>", b"</b>", b"</div>", b"</i>", b"</li>")) * depth
        return data[:at] + chunk + data[at:]
    if how == 3:  # a construct opened and never finished, repeated
        return data[:at] + c.choice(_HTML_UNTERMINATED) * c.integer(1, 20_000) + data[at:]
    if how == 4:
        return data[:at] + b"".join(c.choice(_HTML_ENTITIES) for _ in range(c.integer(1, 50))) + data[at:]
    if how == 5:  # a giant attribute value or very many attributes
        if c.integer(0, 1):
            return data[:at] + b"<div class='" + b"x" * c.integer(1, 500_000) + b"'>y</div>" + data[at:]
        return data[:at] + b"<div " + b"".join(b"a%d=1 " % i for i in range(c.integer(1, 20_000))) + b">" + data[at:]
    # how == 6: NUL bytes
    return data[:at] + b"\x00" * c.integer(1, 8) + data[at:]


def html_encoding(data: bytes, c: Chooser) -> bytes:
    """Re-encoded (UTF-16/32 with or without BOM, legacy code pages), invalid UTF-8, or a charset that lies."""
    text = data.decode("utf-8", "replace")
    how = c.integer(0, 3)
    if how == 0:
        encoded = text.encode(c.choice(_ENCODINGS), "replace")
        if c.integer(0, 1):  # the BOM dropped, or one of another encoding put in front
            encoded = encoded.removeprefix(codecs.BOM_UTF16_LE).removeprefix(codecs.BOM_UTF16_BE)
            encoded = c.choice((b"", codecs.BOM_UTF8, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE)) + encoded
        return encoded
    if how == 1:
        at = c.integer(0, len(data))
        bad = c.choice((b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"\xff\xfe", b"\x80" * 40))
        return data[:at] + bad * c.integer(1, 100) + data[at:]
    if how == 2:
        return re.sub(rb"<head>", b'<head><meta charset="utf-16">', data, count=1) + "é€".encode("cp1252")
    return codecs.BOM_UTF16_LE + data  # a BOM that does not match the bytes after it


HTML_MUTATIONS = (html_structure, html_structure, html_structure, html_encoding, *BYTE_MUTATIONS)

MUTATIONS: dict[Format, tuple[Callable[[bytes, Chooser], bytes], ...]] = {
    "pdf": PDF_MUTATIONS, "docx": DOCX_MUTATIONS, "html": HTML_MUTATIONS,
}


#: The signature ``sniff_format`` knows a format by: kept in 7 cases out of 8, so that most cases reach the
#: format's parser instead of stopping at "unsupported format"
_SIGNATURES: dict[Format, bytes] = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "html": b""}


def mutate(fmt: Format, bases: Sequence[bytes], c: Chooser) -> bytes:
    """One real file of ``fmt`` with one to three mutations stacked (its signature mostly kept)."""
    base = c.choice(bases)
    data = base
    for _ in range(c.choice((1, 1, 1, 2, 3))):  # mostly one: every mutation stacked makes a refusal likelier
        data = c.choice(MUTATIONS[fmt])(data, c)
    signature = _SIGNATURES[fmt]
    if signature and base.startswith(signature) and not data.startswith(signature) and c.integer(0, 7) < 7:
        data = signature + data[len(signature) :]
    return data


# --- the property ---------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Outcome:
    """What one parse did: ``code`` is "ok", a DocumentError's code, or "unexpected"."""

    code: str
    elapsed_s: float
    #: tracemalloc's peak (Python heap) and the growth of the peak RSS (None where not measurable)
    peak_bytes: int
    rss_growth: int | None = None
    problem: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.problem)


def warm_up() -> None:
    """Import every parser's libraries once (pdfplumber alone takes ~1 s, more under tracemalloc) so that no
    case pays for an import in its time or heap."""
    for fmt in MUTATIONS:
        for data in seeds(fmt)[:1]:
            check(data, measure_memory=False)
            check(data[: len(data) // 2], measure_memory=False)  # a truncated PDF goes to the pdfplumber fallback


def _parse(data: bytes, limits: ParseLimits, measure_memory: bool) -> Outcome:
    rss_before = _peak_rss_reset() if measure_memory else None
    if measure_memory:
        tracemalloc.start()
    started = time.perf_counter()
    problem = ""
    try:
        doc = parse_document(data, limits=limits)
    except DocumentError as exc:
        code = exc.code
        message = exc.message
        if not code or not message or "\n" in message or len(message) > 300:
            problem = f"{type(exc).__name__} without a code or a one-line message: {message!r}"
    except Exception as exc:
        code = "unexpected"
        problem = f"untyped {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
    else:
        code = "ok"
        if not isinstance(doc, ParsedDocument) or not doc.text.strip():
            problem = "parse_document returned no text without raising EmptyDocument"
    finally:
        elapsed = time.perf_counter() - started
        peak = 0
        if measure_memory:
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        rss_growth = None if rss_before is None else _status("VmHWM") - rss_before
    return Outcome(code=code, elapsed_s=elapsed, peak_bytes=peak, rss_growth=rss_growth, problem=problem)


def check(data: bytes, limits: ParseLimits = LIMITS, *, measure_memory: bool = True) -> Outcome:
    """Parse once; ``problem`` says how the property broke ("" when it held).

    tracemalloc slows allocation-heavy parsing up to 5x, so a traced parse that looks late is timed again
    untraced: the time limit is about the parser's own clock, not the tracer's.
    """
    outcome = _parse(data, limits, measure_memory)
    code, elapsed, problem = outcome.code, outcome.elapsed_s, outcome.problem
    if not problem and measure_memory and elapsed > limits.timeout_s + TIME_MARGIN_S:
        untraced = _parse(data, limits, measure_memory=False)
        code, elapsed, problem = untraced.code, untraced.elapsed_s, untraced.problem
    if not problem and elapsed > limits.timeout_s + TIME_MARGIN_S:
        problem = f"ran {elapsed:.2f} s, past the {limits.timeout_s:g} s limit and the {TIME_MARGIN_S} s margin"
    mib = 2**20
    if not problem and outcome.peak_bytes > memory_cap(data):
        problem = f"heap peak {outcome.peak_bytes / mib:.1f} MiB over the cap of {memory_cap(data) / mib:.1f} MiB"
    if not problem and outcome.rss_growth is not None and outcome.rss_growth > rss_cap(data):
        problem = f"RSS grew {outcome.rss_growth / mib:.1f} MiB, over the cap of {rss_cap(data) / mib:.1f} MiB"
    return Outcome(code=code, elapsed_s=elapsed, peak_bytes=outcome.peak_bytes, rss_growth=outcome.rss_growth,
                   problem=problem)
