"""Hostile inputs built on demand (issue 16): kilobytes that cost gigabytes or minutes, never committed as files.

Each builder returns bytes; the sizes they reach are in their docstrings, measured on this project's 2-core
machine with the parsers in the calling process (``parse_document``), i.e. without the sandbox.
"""

from __future__ import annotations

import io
import zipfile
import zlib


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies (object 1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _one_page(contents: bytes, streams: list[bytes]) -> bytes:
    """A one-page PDF whose page draws ``contents`` (a reference or an array of them) from objects 4... on."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents " + contents
            + b" /Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + len(streams)),
            *streams,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
    )


def _flate(data_chunks: int, chunk: bytes) -> bytes:
    """A FlateDecode stream object of ``chunk`` repeated ``data_chunks`` times."""
    compressor = zlib.compressobj(9)
    packed = b"".join(compressor.compress(chunk) for _ in range(data_chunks)) + compressor.flush()
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"


def pdf_bomb(inflated_mb: int = 1024, *, stream_mb: int = 64) -> bytes:
    """A one-page PDF whose content inflates to ``inflated_mb`` MiB: one ``stream_mb`` MiB stream (compressed
    ~1,000:1) listed ``inflated_mb / stream_mb`` times in the page's /Contents, which PDFium concatenates
    before it parses them. The default (1 GiB) is a 66 kB file; PDFium in the caller's process took 25 s and
    2.1 GB of RSS on it."""
    chunk = b"q Q " * (2**20 // 4)  # save and restore the graphics state: valid, and drawing nothing
    references = b"[" + b" ".join([b"4 0 R"] * max(1, inflated_mb // stream_mb)) + b"]"
    return _one_page(references, [_flate(stream_mb, chunk)])


def dense_pdf(lines: int = 1400, *, chars_per_line: int = 1000, size: float = 4.0) -> bytes:
    """A one-page PDF of ``lines`` lines of two-letter words (``lines * chars_per_line`` characters), drawn one
    under the other in a ``size`` pt font: every word is visible, most of them off the page's bottom. 700 lines
    (a 2 kB file, 700 k characters) took 2.4 s in the caller's process; 1,400 about 5 s, all of it inside one
    page, where the parse deadline is never checked."""
    words = b" ".join([b"ab"] * (chars_per_line // 3))
    body = b"BT /F1 %.1f Tf %.1f TL 1 0 0 1 5 780 Tm\n" % (size, size) + (b"(" + words + b") '\n") * lines + b"ET\n"
    compressed = zlib.compress(body, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(compressed) + compressed + b"\nendstream"
    return _one_page(b"4 0 R", [stream])


def small_pdf(text: str = "Skills: Python, PyTorch, Docker") -> bytes:
    """A valid one-line PDF resume (another owner's ordinary upload)."""
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")
    body = b"BT /F1 11 Tf 1 0 0 1 72 720 Tm (" + escaped + b") Tj ET\n"
    stream = b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
    return _one_page(b"4 0 R", [stream])


def deep_json(depth: int, *, key: str = "text") -> bytes:
    """``{"text": [[[...]]]}`` nested ``depth`` levels: a RecursionError (500) in Python's JSON stack at ~1,000."""
    return b'{"' + key.encode() + b'": ' + b"[" * depth + b"]" * depth + b"}"


def docx_with_broken_xml(tag: str) -> bytes:
    """A DOCX whose document.xml breaks off inside an element named ``tag``: lxml's message quotes the name."""
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
        'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main'
        '+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
    )
    document = (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
        f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Skills</w:t></w:r></w:p><{tag}></w:body>'
        "</w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", rels)
        archive.writestr("word/document.xml", document)
    return buffer.getvalue()
