"""The one text normalisation used for skill names: surface form -> lookup key.

A key is the lowercased concatenation of a name's *pieces*: runs of letters and digits, with trailing
``+``/``#`` kept (C++, C#, F#) and a leading dot kept only at the start of a word (.NET). Spaces, hyphens,
dots, slashes and underscores between pieces are dropped, so "Scikit-Learn", "scikit learn" and
"sci-kit-learn" share the key ``scikitlearn`` and "Node.js", "NodeJS" and "node js" share ``nodejs``.
"""

from __future__ import annotations

import re

#: A piece of a name or of a text; the tagger walks texts piece by piece.
PIECE_RE = re.compile(r"(?:(?<![\w.])\.(?=[^\W_]))?[^\W_]+[+#]*")

#: What may stand between two pieces of one skill name in a text: a little space and at most one joiner.
#: No newline: a line break ends a list item.
JOINER_RE = re.compile(r"[ \t\u00a0]{0,2}[-\u2010\u2011\u2013/._&]?[ \t\u00a0]{0,2}")


#: The same pieces, found faster in long texts: a dot-led run is fixed up afterwards (see text_pieces).
_FAST_PIECE_RE = re.compile(r"[^\W_]+[+#]*|\.[^\W_]+[+#]*")


def text_pieces(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, lowercased piece)`` for every piece of ``text``, as :data:`PIECE_RE` would cut it."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two ("İ"): keep offsets exact
        lowered = "".join(c.lower()[0] for c in text)
    pieces = []
    for match in _FAST_PIECE_RE.finditer(lowered):
        start, end = match.span()
        if lowered[start] == "." and start > 0 and (lowered[start - 1].isalnum() or lowered[start - 1] in "._"):
            start += 1  # "node.js": the dot joins two pieces, it does not lead one
        pieces.append((start, end, lowered[start:end]))
    return pieces


def skill_key(name: str) -> str:
    """Lookup key of a skill name: ``skill_key("Scikit-Learn") == "scikitlearn"``."""
    return "".join(piece.lower() for piece in PIECE_RE.findall(name))
