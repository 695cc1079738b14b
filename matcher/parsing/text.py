"""Plain text and Markdown to lines.

Plain text keeps its lines as written. Markdown loses its markup (emphasis, links, code marks, table pipes,
fences) but keeps its structure as cues: an ATX or setext heading, or a line that is all strong emphasis,
becomes a bold line (headings also get a size by level) for section detection. Link targets stay in the text
after the link text, so profile URLs in a contact block are not lost.
"""

from __future__ import annotations

import re

from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line
from matcher.parsing.detect import decode_text
from matcher.parsing.document import ParseLimits

_HEADING_SIZES = {1: 20.0, 2: 16.0, 3: 14.0, 4: 12.0, 5: 11.0, 6: 11.0}
_ATX_RE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_SETEXT_RE = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_FENCE_RE = re.compile(r"^\s{0,3}(```|~~~)")
_RULE_RE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_TABLE_RULE_RE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_LIST_RE = re.compile(r"^\s*[-*+]\s+(?:\[[ xX]\]\s+)?")
_QUOTE_RE = re.compile(r"^\s{0,3}>\s?")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK_RE = re.compile(r"\[([^\]]+)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_AUTOLINK_RE = re.compile(r"<((?:https?://|mailto:)[^>\s]+)>")
_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS_RE = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_CODE_RE = re.compile(r"`+([^`]+)`+")
_STRIKE_RE = re.compile(r"~~(.+?)~~")
_TAG_RE = re.compile(r"</?[a-zA-Z][^>]*>")
_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_UNPARK_RE = re.compile("[\ue000-\ue07f]")
_ALL_STRONG_RE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*:?\s*$")


def parse_text(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of a plain-text file, as written (blank lines separate blocks)."""
    doc = RawDocument(format="text", parser="text")
    block = 0
    for i, raw in enumerate(decode_text(data).splitlines()):
        if i % 500 == 0:
            deadline.check()
        text = clean_line(raw.replace("\t", "    "))
        if not text:
            block += 1
            continue
        doc.lines.append(RawLine(text=text, block=block))
    return doc


def _link(match: re.Match[str]) -> str:
    label, target = match.group(1), match.group(2)
    bare = re.sub(r"^(?:https?://|mailto:)", "", target).rstrip("/")
    return label if bare.lower() in label.lower() else f"{label} ({target})"


def strip_inline(text: str) -> str:
    """Markdown inline markup to plain text: ``**Python**`` -> ``Python``, links keep their target."""
    # escaped characters are parked in the private-use area so no rule below takes them for markup
    text = _ESCAPE_RE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    text = _CODE_RE.sub(r"\1", text)
    text = _IMAGE_RE.sub(r"\1", text)
    text = _LINK_RE.sub(_link, text)
    text = _AUTOLINK_RE.sub(r"\1", text)
    text = _STRONG_RE.sub(r"\2", text)
    text = _EMPHASIS_RE.sub(r"\2", text)
    text = _STRIKE_RE.sub(r"\1", text)
    text = _TAG_RE.sub("", text)
    return _UNPARK_RE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)


def parse_markdown(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of a Markdown file without markup; headings and all-bold lines become bold lines."""
    doc = RawDocument(format="markdown", parser="markdown")
    lines = decode_text(data).splitlines()
    block = 0
    in_fence = False
    for i, raw in enumerate(lines):
        if i % 500 == 0:
            deadline.check()
        if _FENCE_RE.match(raw):
            in_fence = not in_fence
            block += 1
            continue
        if in_fence:
            if raw.strip():
                doc.lines.append(RawLine(text=clean_line(raw), block=block))
            continue
        if not raw.strip():
            block += 1
            continue
        setext = _SETEXT_RE.match(raw)
        if setext and doc.lines and doc.lines[-1].block == block and not doc.lines[-1].bold:
            previous = doc.lines[-1]
            previous.bold = True
            previous.size = _HEADING_SIZES[1 if setext.group(1)[0] == "=" else 2]
            block += 1
            continue
        if setext or _RULE_RE.match(raw):
            block += 1
            continue
        if _TABLE_RULE_RE.match(raw) and "|" in raw:
            continue
        heading = _ATX_RE.match(raw)
        if heading:
            text = clean_line(strip_inline(heading.group(2)))
            if text:
                block += 1
                doc.lines.append(RawLine(text=text, bold=True, size=_HEADING_SIZES[len(heading.group(1))],
                                         block=block))
            continue
        body = _QUOTE_RE.sub("", raw)
        bold = bool(_ALL_STRONG_RE.match(body))
        if body.strip().startswith("|") and body.strip().endswith("|"):
            cells = [strip_inline(c).strip() for c in body.strip().strip("|").split("|")]
            text = clean_line("\t".join(c for c in cells if c))
        else:
            item = _LIST_RE.match(body)
            if item:
                body = BULLET + " " + body[item.end() :]
            text = clean_line(strip_inline(body))
        if text:
            doc.lines.append(RawLine(text=text, bold=bold, block=block))
    return doc
