"""One invented resume drawn by reportlab in several layouts, for the PDF reading-order and soft-break tests.

Every layout draws the same words: a header (the name, and a contact block right-aligned beside it), a main column
(summary, experience with right-aligned dates on the title lines, wrapped bullets, education) and sidebar blocks
(a one-skill-per-line list, a justified paragraph with multi-word skills, strengths, languages, a quote).
``one_column`` stacks the sidebar blocks under the main column; the other layouts set them in a frame of their
own, left or right, narrow or wide, across a narrow gutter from the main column's large headings. Paragraphs are
reportlab ``Paragraph`` flowables, so lines wrap the way a word processor wraps them; the sidebar's width (the
page's, for one column) is chosen so that a line of the focus paragraph ends in "natural" and "language
processing" starts the next one, which is what the soft-break tests look for.

The tests import the content constants to know what must come out: ``MAIN_SENTENCES`` in order and whole,
``SIDEBAR_BLOCKS`` each contiguous.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from reportlab.lib.enums import TA_JUSTIFY, TA_RIGHT
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, FrameBreak, PageTemplate, Paragraph, Spacer, Table

NAME = "Lena Vasquez"
HEADLINE = "Machine Learning Engineer"
#: right-aligned at the top right, beside the name
CONTACT = ("lena.vasquez@example.org", "+351 910 000 123", "github.com/lvasquez-ml", "Lisbon, Portugal")

SUMMARY = (
    "Machine learning engineer with seven years of shipping ranking, forecasting and document models to production. "
    "I like owning a model from the first labelled example to the on-call rota that keeps it healthy. "
    "My teams measure success in fewer pages at night, not in leaderboard points."
)
#: (title, date, bullets): the date is right-aligned on the title's line
JOBS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Lead ML Engineer, Quayside Analytics",
        "2021 – present",
        (
            "Rebuilt the demand forecasting service on LightGBM and Feast, cutting stock-outs in pilot stores by 18 "
            "percent over two quarters.",
            "Moved nightly batch scoring from a single large VM to Ray on Kubernetes, which halved the compute bill.",
            "Introduced shadow deployments and drift dashboards so that every model change is compared against live "
            "traffic before release.",
        ),
    ),
    (
        "ML Engineer, Brightwater Health",
        "2018 – 2021",
        (
            "Trained document classifiers that route scanned referral letters to the right clinic within minutes.",
            "Wrote the feature pipeline in PySpark and the serving layer in FastAPI with strict latency budgets.",
        ),
    ),
)
EDUCATION = (("MSc Computational Statistics, University of Porto", "2016 – 2018"),)

SKILLS = ("Python", "PyTorch", "Spark", "SQL", "Kubernetes", "Airflow")
FOCUS = (
    "Most of my work sits where research meets production: I take a promising notebook, find out what it costs to "
    "run every day, and ship the version that survives real traffic. Lately that has meant natural language "
    "processing for support tickets, computer vision for shelf audits and time series analysis for demand planning."
)
STRENGTHS = ("Mentoring junior engineers", "Clear written design reviews", "Careful GPU cost planning")
LANGUAGES = ("Spanish (native)", "English (fluent)", "Portuguese (working)")
QUOTE = "\u201cA model nobody monitors is a rumour, not a product.\u201d"

LAYOUTS = ("one_column", "left_sidebar", "right_sidebar_narrow", "right_sidebar_wide")


def _sentences(text: str) -> list[str]:
    return [part for part in re.split(r"(?<=[.!?])\s+", text) if part]


#: the main column's sentences, in reading order
MAIN_SENTENCES: tuple[str, ...] = tuple(
    _sentences(SUMMARY) + [sentence for _, _, bullets in JOBS for bullet in bullets for sentence in _sentences(bullet)]
)
#: each sidebar block as its lines of text (a paragraph counts as one line): they must come out together
SIDEBAR_BLOCKS: tuple[tuple[str, ...], ...] = (
    ("SKILLS", *SKILLS),
    ("FOCUS", FOCUS),
    ("STRENGTHS", *STRENGTHS),
    ("LANGUAGES", *LANGUAGES),
    (QUOTE,),
)

_PAGE_W, _PAGE_H = LETTER
_MARGIN = 40.0
_HEADER_H = 70.0
_GUTTER = 14.0

_BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=12)
_SIDE = ParagraphStyle("side", fontName="Helvetica", fontSize=9, leading=11.5)
_SIDE_TEXT = ParagraphStyle("side_text", parent=_SIDE, alignment=TA_JUSTIFY)
_HEADING = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=15, leading=18, spaceBefore=8, spaceAfter=3)
_SIDE_HEADING = ParagraphStyle("side_heading", parent=_HEADING, fontSize=10, leading=13)
_BULLET = ParagraphStyle("bullet", parent=_BODY, leftIndent=11, bulletIndent=0, spaceAfter=2)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName="Helvetica-Bold")
_DATE = ParagraphStyle("date", parent=_BODY, alignment=TA_RIGHT)
_QUOTE = ParagraphStyle("quote", parent=_SIDE, fontName="Helvetica-Oblique")
_NAME = ParagraphStyle("name", fontName="Helvetica-Bold", fontSize=20, leading=24)
_SMALL = ParagraphStyle("small", fontName="Helvetica", fontSize=11, leading=14)
_CONTACT = ParagraphStyle("contact", fontName="Helvetica", fontSize=9, leading=11, alignment=TA_RIGHT)


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Frames below the header: the main column and the sidebar (None for one column), as (x, width)."""

    main: tuple[float, float]
    side: tuple[float, float] | None
    side_first: bool


def _width_ending_in(text: str, style: ParagraphStyle, word: str, low: float, high: float) -> float:
    """The widest frame width in [low, high] at which a line of the paragraph ends with ``word``."""
    paragraph = Paragraph(text, style)
    width = high
    while width >= low:
        lines = paragraph.breakLines(width).lines
        if any((line[1] if isinstance(line, tuple) else line.words)[-1] == word for line in lines[:-1]):
            return width
        width -= 0.5
    raise ValueError(f"no width in [{low}, {high}] ends a line of the paragraph with {word!r}")


def _geometry(layout: str) -> _Geometry:
    inner = _PAGE_W - 2 * _MARGIN
    if layout == "one_column":
        return _Geometry(main=(_MARGIN, _width_ending_in(FOCUS, _SIDE_TEXT, "natural", 380, inner)), side=None,
                         side_first=False)
    side_range = {"left_sidebar": (130, 165), "right_sidebar_narrow": (120, 150), "right_sidebar_wide": (200, 240)}
    low, high = side_range[layout]
    side_w = _width_ending_in(FOCUS, _SIDE_TEXT, "natural", low, high)
    main_w = inner - side_w - _GUTTER
    if layout == "left_sidebar":
        return _Geometry(main=(_MARGIN + side_w + _GUTTER, main_w), side=(_MARGIN, side_w), side_first=True)
    return _Geometry(main=(_MARGIN, main_w), side=(_MARGIN + main_w + _GUTTER, side_w), side_first=False)


def _main_story(width: float) -> list[Flowable]:
    story: list[Flowable] = [Paragraph("SUMMARY", _HEADING), Paragraph(SUMMARY, _BODY),
                             Paragraph("EXPERIENCE", _HEADING)]
    for title, date, bullets in JOBS:
        row = Table([[Paragraph(title, _TITLE), Paragraph(date, _DATE)]], colWidths=[width - 80, 80])
        row.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                      ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)])
        story.append(row)
        story.extend(Paragraph(bullet, _BULLET, bulletText="\u2022") for bullet in bullets)
        story.append(Spacer(1, 4))
    story.append(Paragraph("EDUCATION", _HEADING))
    for degree, date in EDUCATION:
        row = Table([[Paragraph(degree, _BODY), Paragraph(date, _DATE)]], colWidths=[width - 80, 80])
        row.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
        story.append(row)
    return story


def _side_story() -> list[Flowable]:
    story: list[Flowable] = [Paragraph("SKILLS", _SIDE_HEADING)]
    story.extend(Paragraph(skill, _SIDE) for skill in SKILLS)
    story += [Paragraph("FOCUS", _SIDE_HEADING), Paragraph(FOCUS, _SIDE_TEXT), Paragraph("STRENGTHS", _SIDE_HEADING)]
    story.extend(Paragraph(strength, _SIDE) for strength in STRENGTHS)
    story.append(Paragraph("LANGUAGES", _SIDE_HEADING))
    story.extend(Paragraph(language, _SIDE) for language in LANGUAGES)
    story += [Spacer(1, 10), Paragraph(QUOTE, _QUOTE)]
    return story


def resume_pdf(layout: str) -> bytes:
    """The resume drawn in one of ``LAYOUTS``, as the bytes of a one-page PDF."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}: one of {', '.join(LAYOUTS)}")
    geometry = _geometry(layout)
    body_top = _PAGE_H - _MARGIN - _HEADER_H
    body_h = body_top - _MARGIN
    header = Frame(_MARGIN, body_top, _PAGE_W - 2 * _MARGIN, _HEADER_H, id="header", leftPadding=0, rightPadding=0,
                   topPadding=0, bottomPadding=0)
    main = Frame(geometry.main[0], _MARGIN, geometry.main[1], body_h, id="main", leftPadding=0, rightPadding=0,
                 topPadding=0, bottomPadding=0)
    frames = [header, main]
    inner = _PAGE_W - 2 * _MARGIN
    head = Table([[[Paragraph(NAME, _NAME), Paragraph(HEADLINE, _SMALL)],
                   [Paragraph(line, _CONTACT) for line in CONTACT]]], colWidths=[inner - 200, 200])
    head.setStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                   ("TOPPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    story: list[Flowable] = [head, FrameBreak()]
    if geometry.side is None:
        story += _main_story(geometry.main[1]) + _side_story()
    else:
        side = Frame(geometry.side[0], _MARGIN, geometry.side[1], body_h, id="side", leftPadding=0, rightPadding=0,
                     topPadding=0, bottomPadding=0)
        parts = [_main_story(geometry.main[1]), _side_story()]
        if geometry.side_first:
            frames = [header, side, main]
            parts.reverse()
        else:
            frames.append(side)
        story += parts[0] + [FrameBreak()] + parts[1]
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=LETTER, pageTemplates=[PageTemplate(id="page", frames=frames)],
                          title=f"{NAME} ({layout})", author="skillmatch tests", invariant=1)
    doc.build(story)
    if doc.page != 1:
        raise AssertionError(f"{layout}: the resume ran over {doc.page} pages; the tests expect one")
    return buffer.getvalue()
