"""Soft line breaks: the newlines inside a sentence that a multi-word skill may cross ("natural\\nlanguage").

A PDF wraps its lines where the column ends, and text copied out of one keeps the breaks: "Natural\\nLanguage
Processing" is one skill. A list is different: "Spark\\nSQL" on two lines of a skills sidebar is two skills.
A break is soft when the parser saw the line wrap (``TextLine.wraps``, from a PDF's geometry) or when the line
runs on as prose: it does not end with punctuation, the next line is no new item (bullet, number, heading,
table row), and either the next line goes on in lower case, or the line ends on a word or sign that cannot end a
phrase ("Machine Learning –", "experience with"), or, in text with no geometry, the line is full: the next
line's first word would not have fitted on it within the text's width (its longest lines), so it broke because
it ran out of room, as a typist's or an editor's hard wrap does. Where the geometry is known, a long line that did
not reach its column's edge followed by a capitalised one is two lines ("Google, Mountain View, CA" beside a date
column's "Present").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from matcher.analysis.sections import lines_of
from matcher.types import Section, TextLine

__all__ = ["soft_breaks"]


#: text wrapped narrower than this is a column of short items, not prose
MIN_WRAP_WIDTH = 25

_ITEM_START = re.compile(r"[ \t]*(?:[•*·▪►◦■\-–—]|\d{1,2}[.)][ \t]|[a-zA-Z][.)][ \t]|\()")
_ENDS_ITEM = re.compile(r"[.,;:!?|•·)\]]\s*$")
#: a comma list whose last item has no comma after it: the line broke inside that item
_LIST_CUT_IN_ITEM = re.compile(r",[^,]+[^\W_]\s*$")
#: "Frameworks: PyTorch, ..." starts an item of its own
_LABEL_START = re.compile(r"\s*[^\W\d_][\w &/+.-]{0,30}:\s")
#: a line ending like this goes on in the next one, whatever its case
_RUNS_ON_END = re.compile(
    r"(?:\s[-–—&/+]|\b(?:and|or|of|in|on|for|with|to|the|a|an|using|via|including))\s*$", re.IGNORECASE
)


def soft_breaks(
    text: str, lines: Sequence[TextLine], sections: Sequence[Section] = (), *, geometry: bool = False
) -> frozenset[int]:
    """Offsets of the newlines of ``text`` that are soft breaks (see the module docstring); ``geometry``: the
    lines' ``wraps`` come from the page's geometry and decide alone.

    >>> text = "Built search with natural\\nlanguage processing\\n- Spark\\n- SQL"
    >>> sorted(soft_breaks(text, lines_of(text)))
    [25]
    """
    if "\n" not in text:
        return frozenset()
    ordered = sorted(lines, key=lambda line: line.start) if lines else lines_of(text)
    section_starts = {section.start for section in sections}
    width = None if geometry else _text_width(ordered)
    found = []
    for first, second in itertools.pairwise(ordered):
        if text[first.end : second.start] != "\n" or second.start in section_starts:
            continue
        if first.wraps or _runs_on(text[first.start : first.end], text[second.start : second.end], width):
            found.append(first.end)
    return frozenset(found)


def _text_width(lines: Sequence[TextLine]) -> int:
    """The width a text was wrapped at: the length its longest lines reach (the 90th percentile, so that one long
    line does not set it)."""
    lengths = sorted(line.end - line.start for line in lines if line.end > line.start)
    width = lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0
    return width if width >= MIN_WRAP_WIDTH else 0  # short lines all: a list, not wrapped prose


def _runs_on(line: str, following: str, width: int | None) -> bool:
    if not line.strip() or not following.strip() or "\t" in line or "\t" in following:
        return False
    if _ITEM_START.match(following):
        return False
    if line.rstrip().endswith(",") and following.lstrip()[0].islower():
        return True  # a list of lower-case items wrapped: "descriptive statistics, t-tests,\nregression basics"
    listed = all(len(part.split()) <= 4 for part in following.split(","))  # items, not a sentence
    if _LIST_CUT_IN_ITEM.search(line) and listed and not _LABEL_START.match(following):
        return True  # a list cut inside an item: "ONNX Runtime, Hugging Face\nTransformers, spaCy"
    if _ENDS_ITEM.search(line):
        return False
    if following.lstrip()[0].islower() or _RUNS_ON_END.search(line):
        return True
    first_word = following.split(None, 1)[0]
    return width is not None and 0 < width < len(line.rstrip()) + 1 + len(first_word)
