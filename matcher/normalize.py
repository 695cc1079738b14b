"""The one text normalisation used for skill names: surface form -> lookup key.

A key is the lowercased concatenation of a name's *pieces*: runs of letters and digits, with trailing
``+``/``#`` kept (C++, C#, F#) and a leading dot kept only at the start of a word (.NET). Spaces, hyphens,
dots, slashes and underscores between pieces are dropped, so "Scikit-Learn", "scikit learn" and
"sci-kit-learn" share the key ``scikitlearn`` and "Node.js", "NodeJS" and "node js" share ``nodejs``.
"""

from __future__ import annotations

import re
from itertools import accumulate

#: A piece of a name or of a text; the tagger walks texts piece by piece.
PIECE_RE = re.compile(r"(?:(?<![\w.])\.(?=[^\W_]))?[^\W_]+[+#]*")

#: What may stand between two pieces of one skill name in a text: a little space and at most one joiner.
#: No newline: a line break ends a list item. A dot with space after it ends a sentence ("the data. Science
#: teams"), so a dot joins only what follows it at once ("Node.js", "ASP .NET").
JOINER_RE = re.compile(r"[ \t\u00a0]{0,2}(?:[-\u2010\u2011\u2013/_&]?[ \t\u00a0]{0,2}|\.)")


#: The same pieces, captured so that ``split`` returns gaps and pieces in turn (one C call for a whole text).
#: A dot leads a piece only at the start of a word: ".NET", but "node.js" is "node" and "js". The dot comes
#: before the look-behind that checks it, so that every branch starts with a character class: the engine then
#: skips the positions no piece can start at (~15% faster).
_PIECE_SPLIT = re.compile(r"([^\W_]+[+#]*|\.(?<![\w.]\.)[^\W_]+[+#]*)")
#: The same on lowercased ASCII text, where plain ranges replace the Unicode classes: a third faster.
_ASCII_PIECE_SPLIT = re.compile(r"([a-z0-9]+[+#]*|\.(?<![a-z0-9_.]\.)[a-z0-9]+[+#]*)")


def lowercase(text: str) -> str:
    """``text`` lowercased, one character for one: offsets into the result are offsets into ``text``."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few characters lowercase to two ("İ")
        lowered = "".join(c.lower()[0] for c in text)
    return lowered


def split_pieces(lowered: str) -> tuple[list[str], list[int], list[int]]:
    """``(pieces, starts, ends)`` of a lowercased text, as :data:`PIECE_RE` would cut it."""
    parts = (_ASCII_PIECE_SPLIT if lowered.isascii() else _PIECE_SPLIT).split(lowered)
    bounds = list(accumulate(map(len, parts)))  # parts alternate gap, piece, gap...: bounds[2k] starts piece k
    return parts[1::2], bounds[0:-1:2], bounds[1::2]


def text_pieces(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, lowercased piece)`` for every piece of ``text``."""
    pieces, starts, ends = split_pieces(lowercase(text))
    return list(zip(starts, ends, pieces, strict=True))


def skill_key(name: str) -> str:
    """Lookup key of a skill name: ``skill_key("Scikit-Learn") == "scikitlearn"``."""
    return "".join(piece.lower() for piece in PIECE_RE.findall(name))


def singular_keys(key: str) -> list[str]:
    """The singular keys a name key may be the plural of, most likely first: "cnns" -> "cnn", "indexes" ->
    "index", "libraries" -> "library" (not "texas" -> "tex"). Tagging and ``Taxonomy.lookup`` read plurals so."""
    if len(key) <= 3 or key[-1] != "s":
        return []
    stems = [key[:-1]]
    if key.endswith("es") and key[-3] in "sxzh":
        stems.append(key[:-2])
    if key.endswith("ies"):
        stems.append(key[:-3] + "y")
    return [stem for stem in stems if len(stem) >= 3]
