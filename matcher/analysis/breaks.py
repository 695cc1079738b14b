"""Soft line breaks: the newlines inside a sentence that a multi-word skill may cross ("natural\\nlanguage").

A PDF wraps its lines where the column ends, and text copied out of one keeps the breaks: "Natural\\nLanguage
Processing" is one skill. A list is different: "Spark\\nSQL" on two lines of a skills sidebar is two skills.
A break is soft when the parser saw the line wrap (``TextLine.wraps``, from a PDF's geometry) or when the line
runs on as prose: it does not end with punctuation, the next line is no new item (bullet, number, heading,
table row), and either the next line goes on in lower case or, in text with no geometry, the line is long (a
wrapped sentence). Where the geometry is known, a long line that did not reach its column's edge followed by a
capitalised one is two lines ("Google, Mountain View, CA" beside a date column's "Present").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from matcher.analysis.sections import lines_of
from matcher.types import Section, TextLine

__all__ = ["soft_breaks"]

#: a line this long that runs on into the next is a wrapped sentence, not an item of a list
WRAPPED_LINE_CHARS = 40

_ITEM_START = re.compile(r"[ \t]*(?:[•*·▪►◦■\-–—]|\d{1,2}[.)][ \t]|[a-zA-Z][.)][ \t]|\()")
_ENDS_ITEM = re.compile(r"[.,;:!?|•·)\]]\s*$")


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
    found = []
    for first, second in itertools.pairwise(ordered):
        if text[first.end : second.start] != "\n" or second.start in section_starts:
            continue
        if first.wraps or _runs_on(text[first.start : first.end], text[second.start : second.end], geometry=geometry):
            found.append(first.end)
    return frozenset(found)


def _runs_on(line: str, following: str, *, geometry: bool) -> bool:
    if not line.strip() or not following.strip() or "\t" in line or "\t" in following:
        return False
    if _ENDS_ITEM.search(line) or _ITEM_START.match(following):
        return False
    return following.lstrip()[0].islower() or (not geometry and len(line.strip()) >= WRAPPED_LINE_CHARS)
