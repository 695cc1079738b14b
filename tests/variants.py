"""One resume or job post in the forms people hand it to us: for the robustness tests and
``benchmarks/eval_robustness.py``.

The source is a document as parsed (our own samples, or real files from ``../shared/data``): its logical lines
(lines wrapped inside a sentence joined again), which of them are headings, and which section each stands in.
From that, each form renders the same words:

* ``no_headings``: the text without its heading lines, as pasted from a page whose headings were images;
* ``one_paragraph``: every line joined by spaces, as a text box that drops line breaks gives it;
* ``docx`` (python-docx: headings, list bullets), ``html`` (h2, ul/li, p);
* ``pdf``: one column, set by reportlab so lines wrap where the column ends;
* ``pdf_sidebar_left`` / ``pdf_sidebar_right``: the skills (and languages, certifications) in a narrow sidebar
  beside the main column on the first page.

``one_line`` is the form of a job post copied from a job board: all of it on one line.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from matcher.analysis import analyse_document
from matcher.analysis.sections import section_finder
from matcher.parsing import parse_document
from matcher.types import DocumentKind

AS_OF = date(2026, 12, 1)
#: sections a two-column template sets in its sidebar
SIDEBAR_SECTIONS = frozenset({"skills", "languages", "certifications", "interests"})
BULLET = "\u2022"


@dataclass(frozen=True, slots=True)
class Line:
    """A logical line: its text, whether it is a heading, and the section it stands in."""

    text: str
    heading: bool
    section: str


@dataclass(frozen=True, slots=True)
class Source:
    kind: DocumentKind
    lines: tuple[Line, ...]

    @property
    def bullets(self) -> tuple[bool, ...]:
        return tuple(line.text.startswith(BULLET) for line in self.lines)


def source_of(path: Path | bytes, kind: DocumentKind) -> Source:
    """The logical lines of a document, as our parser and analysis read it."""
    doc = parse_document(path)
    analysis = analyse_document(doc, as_of=AS_OF, kind=kind, personal_data=False)
    heading_starts = {s.start for s in analysis.sections if s.heading}
    section_of = section_finder(analysis.sections)
    lines: list[Line] = []
    joined: list[str] = []
    start = 0
    for line in doc.lines:
        raw = doc.text[line.start : line.end]
        if not joined:
            start = line.start
        joined.append(raw)
        if line.end in analysis.soft_breaks:
            continue  # the sentence runs on into the next line
        text = " ".join(joined)
        lines.append(Line(text, start in heading_starts and len(joined) == 1, section_of(start) or "body"))
        joined = []
    return Source(kind, tuple(lines))


def no_headings(source: Source) -> bytes:
    return "\n".join(line.text for line in source.lines if not line.heading).encode()


def one_paragraph(source: Source) -> bytes:
    return " ".join(line.text for line in source.lines).encode()


#: a job post copied from a job board: one line
one_line = one_paragraph


def docx(source: Source) -> bytes:
    from docx import Document

    document = Document()
    for i, line in enumerate(source.lines):
        if i == 0:
            document.add_heading(line.text, level=0)
        elif line.heading:
            document.add_heading(line.text, level=2)
        elif line.text.startswith(BULLET):
            document.add_paragraph(line.text.lstrip(BULLET + " "), style="List Bullet")
        else:
            document.add_paragraph(line.text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def html_page(source: Source) -> bytes:
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>CV</title></head><body><main>"]
    in_list = False
    for i, line in enumerate(source.lines):
        bullet = line.text.startswith(BULLET)
        if in_list and not bullet:
            parts.append("</ul>")
            in_list = False
        text = html.escape(line.text.lstrip(BULLET + " ") if bullet else line.text)
        if i == 0:
            parts.append(f"<h1>{text}</h1>")
        elif line.heading:
            parts.append(f"<h2>{text}</h2>")
        elif bullet:
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{text}</li>")
        else:
            parts.append(f"<p>{text}</p>")
    parts.append("</ul>" if in_list else "")
    parts.append("</main></body></html>")
    return "".join(parts).encode()


def _flowables(lines: list[Line], *, first_is_name: bool, size: float = 10) -> list[object]:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=size, leading=size * 1.3, spaceAfter=2)
    bullet = ParagraphStyle("bullet", parent=body, leftIndent=12, bulletIndent=2)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=size + 3, leading=size * 1.8,
                             spaceBefore=8, spaceAfter=3)  # fmt: skip
    name = ParagraphStyle("name", fontName="Helvetica-Bold", fontSize=size + 10, leading=size * 2.6, spaceAfter=4)
    out: list[object] = []
    for i, line in enumerate(lines):
        text = html.escape(line.text)
        if i == 0 and first_is_name:
            out.append(Paragraph(text, name))
        elif line.heading:
            out.append(Paragraph(text, heading))
        elif line.text.startswith(BULLET):
            out.append(Paragraph(html.escape(line.text.lstrip(BULLET + " ")), bullet, bulletText=BULLET))
        else:
            out.append(Paragraph(text, body))
    return out


def pdf(source: Source) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import SimpleDocTemplate

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=54, rightMargin=54, topMargin=48, bottomMargin=48)
    doc.build(_flowables(list(source.lines), first_is_name=True))
    return out.getvalue()


def _sidebar_pdf(source: Source, *, side: str) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.platypus import BaseDocTemplate, Frame, FrameBreak, NextPageTemplate, PageTemplate

    width, height = LETTER
    margin, gutter, sidebar_width = 40.0, 22.0, 165.0
    main_width = width - 2 * margin - gutter - sidebar_width
    sidebar_x = margin if side == "left" else width - margin - sidebar_width
    main_x = margin + sidebar_width + gutter if side == "left" else margin
    top = height - 2 * margin
    sidebar = Frame(sidebar_x, margin, sidebar_width, top, id="sidebar", leftPadding=0, rightPadding=0)
    main = Frame(main_x, margin, main_width, top, id="main", leftPadding=0, rightPadding=0)
    rest = Frame(margin, margin, width - 2 * margin, top, id="rest")
    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=LETTER)
    doc.addPageTemplates([PageTemplate("first", [sidebar, main]), PageTemplate("rest", [rest])])
    side_lines = [line for line in source.lines[1:] if line.section in SIDEBAR_SECTIONS]
    main_lines = [source.lines[0], *(line for line in source.lines[1:] if line.section not in SIDEBAR_SECTIONS)]
    story = [
        *_flowables(side_lines, first_is_name=False, size=9),
        FrameBreak(),
        NextPageTemplate("rest"),
        *_flowables(main_lines, first_is_name=True),
    ]
    doc.build(story)
    return out.getvalue()


def pdf_sidebar_left(source: Source) -> bytes:
    return _sidebar_pdf(source, side="left")


def pdf_sidebar_right(source: Source) -> bytes:
    return _sidebar_pdf(source, side="right")


#: every form of a resume, by name
RESUME_FORMS: dict[str, Callable[[Source], bytes]] = {
    "no_headings": no_headings,
    "one_paragraph": one_paragraph,
    "docx": docx,
    "html": html_page,
    "pdf": pdf,
    "pdf_sidebar_left": pdf_sidebar_left,
    "pdf_sidebar_right": pdf_sidebar_right,
}
#: the forms of a job post
JOB_FORMS: dict[str, Callable[[Source], bytes]] = {"one_line": one_line}
