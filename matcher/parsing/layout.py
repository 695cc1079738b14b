"""Reading order for PDF pages: positioned words in, lines grouped in blocks, column by column, out.

Neither pdfium's nor pdfminer's own text keeps the reading order of a two-column resume (pdfminer interleaves
the columns line by line; pdfium follows the file's internal order), so the layout analysis is ours:

1. **segments**: words are chained left to right with their neighbours on the same line (centre line or
   baseline within a third of the height) while the gap stays under ``SEGMENT_GAP_EM`` font sizes, so a line
   of the left column and a line of the right column a few points higher never merge or chop each other;
   fake-bold duplicates are dropped, superscripts stay in their word, and a bullet set apart by a tab stop
   rejoins its text;
2. **columns** (a recursive XY cut driven by left edges): a column starts at an x where at least three
   segments start; it is real when, over a vertical stretch free of segments that cross that x, there is
   text on both sides, a gutter of at least ``GUTTER_EM`` font sizes, and the stretch is at least
   ``MIN_COLUMN_SHARE`` of the page's text height. Tall is what tells a sidebar from a right-aligned date
   or a small table: full-width bullets cut those into short stretches; and a right side that is sparse with
   nearly every piece on the row of a left line (dates beside short bullets) is notes, not a column. The
   region is split into above, left, right and below, each analysed again; the leaves are the blocks, read
   top to bottom, left to right;
3. **lines**: inside a block, segments side by side on one row form a line (joined by a tab); a vertical gap
   larger than ``PARAGRAPH_GAP`` line heights starts a new paragraph.

Everything here is plain geometry (points, origin at the page's top-left corner), so it is tested on
synthetic words and shared by the pypdfium2 reader and the pdfplumber fallback.
"""

from __future__ import annotations

import bisect
import itertools
import statistics
from dataclasses import dataclass, field

from matcher.parsing._build import BULLET, clean_text

SEGMENT_GAP_EM = 1.2
GUTTER_EM = 0.9
MIN_COLUMN_SHARE = 0.3
MIN_COLUMN_SEGMENTS = 3
PARAGRAPH_GAP = 0.7

_BULLET_TOKENS = frozenset({BULLET, "-", "*", "\u2013", "\u00b7", "\u2219", "\u25cf", "\u25aa", "\u25e6", "o"})


@dataclass(slots=True)
class Word:
    """A run of characters without a space, with its box and font cues."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool = False
    #: no space separated it from the word before it in the file (a superscript, a kerned logo)
    glued: bool = False

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Segment:
    """Words of one row with no wide gap between them."""

    words: list[Word]
    row: int
    x0: float = 0.0
    top: float = 0.0
    x1: float = 0.0
    bottom: float = 0.0
    size: float = 0.0

    def __post_init__(self) -> None:
        self.x0 = min(w.x0 for w in self.words)
        self.x1 = max(w.x1 for w in self.words)
        self.top = min(w.top for w in self.words)
        self.bottom = max(w.bottom for w in self.words)
        self.size = max(w.size for w in self.words)

    @property
    def middle(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class LayoutLine:
    """A line of a block: its text and the cues heading detection uses."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    bold: bool
    #: paragraph number inside the block (a larger vertical gap starts the next one)
    paragraph: int = 0


@dataclass(slots=True)
class PageLayout:
    """A page in reading order: blocks of lines, and how many columns were side by side."""

    blocks: list[list[LayoutLine]] = field(default_factory=list)
    columns: int = 1


def _aligned(a: Word, b: Word) -> bool:
    """Same line: centre lines or baselines close (words of two sizes share a baseline, not a centre)."""
    tolerance = 0.35 * min(a.bottom - a.top, b.bottom - b.top)
    return abs(a.middle - b.middle) <= tolerance or abs(a.bottom - b.bottom) <= tolerance


def _overlap(a: Word, b: Word) -> float:
    """Vertical overlap of two words as a share of the smaller one's height."""
    smaller = min(a.bottom - a.top, b.bottom - b.top)
    return (min(a.bottom, b.bottom) - max(a.top, b.top)) / smaller if smaller > 0 else 0.0


def _is_bullet(words: list[Word]) -> bool:
    return len(words) == 1 and (words[0].text in _BULLET_TOKENS or clean_text(words[0].text) == BULLET)


def _segments(words: list[Word]) -> list[Segment]:
    """Chain words left to right into segments: same line, gap under ``SEGMENT_GAP_EM`` font sizes.

    Chaining by neighbourhood, not by page-wide rows, keeps a left-column line and a right-column line a
    few points apart in height from merging or chopping each other.
    """
    chains: list[list[Word]] = []
    #: open chains by the 4-point band of their last word's centre line
    buckets: dict[int, list[int]] = {}
    for word in sorted(words, key=lambda w: (w.x0, w.middle)):
        band = int(word.middle // 4)
        best = -1
        best_gap = 0.0
        duplicate = False
        for key in (band - 2, band - 1, band, band + 1, band + 2):
            for c in buckets.get(key, ()):
                last = chains[c][-1]
                # the same word drawn twice a fraction of a point apart is fake bold: keep one
                if word.text == last.text and abs(word.x0 - last.x0) < 0.3 * max(word.size, 1.0) and _aligned(
                    last, word
                ):
                    last.bold = duplicate = True
                    break
                gap = word.x0 - last.x1
                limit = SEGMENT_GAP_EM * max(word.size, last.size)
                if gap > limit or gap < -0.5 * max(word.size, last.size, 1.0):
                    continue
                # aligned with the chain's first word, so a superscript does not shift the line
                if not (_aligned(chains[c][0], word) or (word.glued and _overlap(last, word) >= 0.3)):
                    continue
                if best < 0 or abs(gap) < best_gap:
                    best, best_gap = c, abs(gap)
            if duplicate:
                break
        if duplicate:
            continue
        if best >= 0:
            chain = chains[best]
            last = chain[-1]
            buckets[int(last.middle // 4)].remove(best)
            chain.append(word)
        else:
            best = len(chains)
            chains.append([word])
        buckets.setdefault(band, []).append(best)
    # a bullet set apart from its text by a tab stop still belongs to it
    for i, chain in enumerate(chains):
        if not _is_bullet(chain):
            continue
        bullet = chain[0]
        target = -1
        target_gap = 4 * max(bullet.size, 1.0)
        for j, other in enumerate(chains):
            gap = other[0].x0 - bullet.x1
            if j != i and other and 0 <= gap < target_gap and _aligned(bullet, other[0]):
                target, target_gap = j, gap
        if target >= 0:
            chains[target][:0] = chain
            chains[i] = []
    return [Segment(chain, row=0) for chain in chains if chain]


def _assign_rows(segments: list[Segment]) -> None:
    """Number the rows of one region: segments side by side on one line share a row."""
    rows: list[tuple[Word, list[tuple[float, float]]]] = []
    open_rows: list[int] = []
    for segment in sorted(segments, key=lambda s: (s.middle, s.x0)):
        probe = Word("", segment.x0, segment.top, segment.x1, segment.bottom, segment.size)
        chosen = -1
        still_open: list[int] = []
        for r in open_rows:
            first, spans = rows[r]
            if probe.middle - first.middle > 2 * max(first.bottom - first.top, 1.0):
                continue
            still_open.append(r)
            if chosen < 0 and _aligned(first, probe) and not any(
                probe.x0 < x1 - 0.5 and probe.x1 > x0 + 0.5 for x0, x1 in spans
            ):
                chosen = r
        open_rows = still_open
        if chosen < 0:
            chosen = len(rows)
            rows.append((probe, []))
            open_rows.append(chosen)
        rows[chosen][1].append((segment.x0, segment.x1))
        segment.row = chosen


@dataclass(slots=True)
class _Split:
    height: float
    edge: float
    inside: list[Segment]
    top: float


def _find_split(segments: list[Segment], min_height: float, min_gap: float) -> _Split | None:
    """The tallest column boundary in a region, or None when it is one column."""
    if len(segments) < 2 * MIN_COLUMN_SEGMENTS:
        return None
    region_left = min(s.x0 for s in segments)
    by_middle = sorted(segments, key=lambda s: s.middle)
    middles = [s.middle for s in by_middle]
    starts = sorted(s.x0 for s in segments)
    candidates: list[float] = []
    i = 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] - starts[i] <= 2.0:
            j += 1
        if j - i + 1 >= MIN_COLUMN_SEGMENTS and starts[i] - region_left > 3 * min_gap:
            candidates.append(starts[i])
        i = j + 1
    best: _Split | None = None
    for left_edge in candidates:
        edge = left_edge - 1.0
        crossing = sorted((s.top, s.bottom) for s in segments if s.x0 < edge < s.x1)
        spans: list[tuple[float, float]] = []
        start = float("-inf")
        for top, bottom in crossing:
            if top > start:
                spans.append((start, top))
            start = max(start, bottom)
        spans.append((start, float("inf")))
        for low, high in spans:
            if high - low < min_height or (best is not None and high - low <= best.height):
                continue
            inside = by_middle[bisect.bisect_right(middles, low) : bisect.bisect_left(middles, high)]
            left = [s for s in inside if s.x1 <= edge]
            right = [s for s in inside if s.x0 >= edge]
            if len(left) < MIN_COLUMN_SEGMENTS or len(right) < MIN_COLUMN_SEGMENTS:
                continue
            if sum(1 for s in right if s.x0 - left_edge <= 2.0) < MIN_COLUMN_SEGMENTS:
                continue
            if left_edge - max(s.x1 for s in left) < min_gap or _side_notes(left, right):
                continue
            top = min(s.top for s in inside)
            height = max(s.bottom for s in inside) - top
            if height < min_height or (best is not None and height <= best.height):
                continue
            best = _Split(height=height, edge=edge, inside=inside, top=top)
    return best


def _side_notes(left: list[Segment], right: list[Segment]) -> bool:
    """True when the right side is notes on the left side's lines, not a column: sparse (right-aligned dates and
    places of a one-column resume with short bullets), with nearly every piece on the row of a left line."""
    top = min(s.top for s in right)
    extent = max(s.bottom for s in right) - top
    density = sum(s.bottom - s.top for s in right) / extent if extent > 0 else 1.0
    if density >= 0.45:
        return False
    middles = sorted(s.middle for s in left)
    paired = 0
    for segment in right:
        tolerance = 0.35 * (segment.bottom - segment.top)
        i = bisect.bisect_left(middles, segment.middle - tolerance)
        if i < len(middles) and middles[i] <= segment.middle + tolerance:
            paired += 1
    return paired >= 0.8 * len(right)


def _regions(segments: list[Segment], min_height: float, min_gap: float, depth: int = 0) -> list[list[Segment]]:
    """Leaf regions in reading order: above, then each column left to right, then below."""
    if not segments:
        return []
    split = _find_split(segments, min_height, min_gap) if depth < 8 else None
    if split is None:
        return [segments]
    inside_ids = {id(s) for s in split.inside}
    outside = [s for s in segments if id(s) not in inside_ids]
    above = [s for s in outside if s.middle < split.top]
    below = [s for s in outside if s.middle >= split.top]
    left = [s for s in split.inside if s.x1 <= split.edge]
    right = [s for s in split.inside if s.x0 >= split.edge]
    out: list[list[Segment]] = []
    for part in (above, left, right, below):
        out.extend(_regions(part, min_height, min_gap, depth + 1))
    return out


def _segment_text(words: list[Word]) -> str:
    parts = [words[0].text]
    for previous, word in itertools.pairwise(words):
        if not (word.glued and word.x0 - previous.x1 < 0.15 * word.size):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def _line(segments: list[Segment]) -> LayoutLine:
    segments.sort(key=lambda s: s.x0)
    words = [w for s in segments for w in s.words]
    text = "\t".join(_segment_text(s.words) for s in segments)
    letters = [(len(w.text), w) for w in words]
    total = sum(n for n, _ in letters) or 1
    bold_share = sum(n for n, w in letters if w.bold) / total
    sizes = sorted(w.size for w in words for _ in range(len(w.text)))
    return LayoutLine(
        text=text,
        x0=min(s.x0 for s in segments),
        top=min(s.top for s in segments),
        x1=max(s.x1 for s in segments),
        bottom=max(s.bottom for s in segments),
        size=round(sizes[len(sizes) // 2], 1) if sizes else 0.0,
        bold=bold_share >= 0.6,
    )


def _block_lines(region: list[Segment]) -> list[LayoutLine]:
    by_row: dict[int, list[Segment]] = {}
    for segment in region:
        by_row.setdefault(segment.row, []).append(segment)
    lines = sorted((_line(group) for group in by_row.values()), key=lambda ln: (ln.top, ln.x0))
    paragraph = 0
    for previous, line in itertools.pairwise(lines):
        height = min(previous.bottom - previous.top, line.bottom - line.top)
        if line.top - previous.bottom > PARAGRAPH_GAP * height:
            paragraph += 1
        line.paragraph = paragraph
    return lines


def _columns(regions: list[list[Segment]]) -> int:
    boxes = [(min(s.top for s in r), max(s.bottom for s in r)) for r in regions]
    best = 1
    for top, bottom in boxes:
        middle = (top + bottom) / 2
        best = max(best, sum(1 for t, b in boxes if t <= middle <= b))
    return best


def layout_page(words: list[Word]) -> PageLayout:
    """Order one page's words into blocks of lines (see the module docstring for the method)."""
    if not words:
        return PageLayout()
    segments = _segments(words)
    sizes = sorted(w.size for w in words)
    body = sizes[len(sizes) // 2] or 10.0
    text_top = min(s.top for s in segments)
    text_height = max(s.bottom for s in segments) - text_top
    regions = _regions(segments, MIN_COLUMN_SHARE * text_height, max(GUTTER_EM * body, 5.0))
    blocks: list[list[LayoutLine]] = []
    for region in regions:
        _assign_rows(region)
        blocks.append(_block_lines(region))
    return PageLayout(blocks=blocks, columns=_columns(regions))


def median(values: list[float]) -> float:
    """Median of a non-empty list (0.0 for an empty one)."""
    return statistics.median(values) if values else 0.0
