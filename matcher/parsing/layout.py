"""Reading order for PDF pages: positioned words in, lines grouped in blocks, column by column, out.

Neither pdfium's nor pdfminer's own text keeps the reading order of a two-column resume (pdfminer interleaves
the columns line by line; pdfium follows the file's internal order), so the layout analysis is ours:

1. **segments**: words are chained left to right with their neighbours on the same line (centre line or
   baseline within a third of the height) while the gap stays under ``SEGMENT_GAP_EM`` sizes of the smaller
   font, so a line of the left column and a line of the right column a few points higher never merge or chop
   each other, nor does a sidebar line with a large heading across a narrow gutter; fake-bold duplicates are
   dropped, superscripts stay in their word, and a bullet set apart by a tab stop rejoins its text;
2. **columns** (a recursive XY cut driven by left edges): a column starts at an x where at least three
   segments start; it is real when, over a vertical stretch free of segments that cross that x, there is
   text on both sides, a gutter of at least ``GUTTER_EM`` font sizes, and the stretch is at least
   ``MIN_COLUMN_SHARE`` of the page's text height. Tall is what tells a sidebar from a right-aligned date
   or a small table: full-width bullets cut those into short stretches; whitespace two lines tall across the
   region in its top quarter cuts too (a header above a sidebar and a main column, whose short name and
   right-aligned contact block cross no gutter). Then what is not a column is set
   apart: a side that is sparse with nearly every piece on the row of a line of the other side (dates beside
   short bullets, a margin of dates) is notes, not a column; short pieces flush right on the baseline of a
   line of the other side (a date, a place, a comment) and headings set larger in a margin beside the first
   line of their entry (moderncv's fancy style) join the other side's rows; and a side shorter than
   ``MIN_SIDE_SHARE`` of the other whose lines share its baselines is the last cells of a small table, read
   across. A sidebar is read whole whatever its width, side or length. The region is split into above, left,
   right and below, each analysed again; the leaves are the blocks, read top to bottom, left to right;
3. **side by side**: inside a leaf, a band of lines with no horizontal whitespace across it (half a line) may
   still hold two blocks side by side, split at the widest clear vertical gap: a name beside a right-aligned
   contact block, a wrapped list item beside short ones. Rows that line up (a table), a date on its title's
   row and notes on the other side's rows still read across;
4. **lines**: inside a block, segments side by side on one row form a line (joined by a tab), except a heading
   set in the margin left of the block's text edge and larger than its row, which is a line of its own before
   it; a vertical gap larger than ``PARAGRAPH_GAP`` line heights starts a new paragraph.

Everything here is plain geometry (points, origin at the page's top-left corner), so it is tested on
synthetic words and shared by the pypdfium2 reader and the pdfplumber fallback.
"""

from __future__ import annotations

import bisect
import collections
import functools
import itertools
import statistics
from dataclasses import dataclass, field

from matcher.parsing._build import BULLET, clean_text

SEGMENT_GAP_EM = 1.2
GUTTER_EM = 0.9
MIN_COLUMN_SHARE = 0.3
MIN_COLUMN_SEGMENTS = 3
MIN_SIDE_SHARE = 0.5
PARAGRAPH_GAP = 0.7

#: how far above a margin note (points) the lines that may overlap it or precede its entry start: a line is shorter
_NEIGHBOURS = 40.0

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


@dataclass(slots=True, init=False)
class Segment:
    """Words of one row with no wide gap between them."""

    words: list[Word]
    row: int
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    #: the centre line, kept (segments do not change once made, and the analysis asks for it often)
    middle: float

    def __init__(self, words: list[Word], row: int) -> None:
        self.words, self.row = words, row
        first = words[0]
        x0, x1, top, bottom, size = first.x0, first.x1, first.top, first.bottom, first.size
        # what min() and max() over the words give: the first of equals, a later value only when it is beyond
        for word in itertools.islice(words, 1, None):
            if word.x0 < x0:
                x0 = word.x0
            if word.x1 > x1:
                x1 = word.x1
            if word.top < top:
                top = word.top
            if word.bottom > bottom:
                bottom = word.bottom
            if word.size > size:
                size = word.size
        self.x0, self.x1, self.top, self.bottom, self.size = x0, x1, top, bottom, size
        self.middle = (top + bottom) / 2


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


def _aligned(a: Word | Segment, b: Word | Segment) -> bool:
    """Same line: centre lines or baselines close (words of two sizes share a baseline, not a centre)."""
    tolerance = 0.35 * min(a.bottom - a.top, b.bottom - b.top)
    return abs(a.middle - b.middle) <= tolerance or abs(a.bottom - b.bottom) <= tolerance


def _overlap(a: Word, b: Word) -> float:
    """Vertical overlap of two words as a share of the smaller one's height."""
    smaller = min(a.bottom - a.top, b.bottom - b.top)
    return (min(a.bottom, b.bottom) - max(a.top, b.top)) / smaller if smaller > 0 else 0.0


def _is_bullet(words: list[Word]) -> bool:
    return len(words) == 1 and (words[0].text in _BULLET_TOKENS or _cleans_to_bullet(words[0].text))


def _reading_key(word: Word) -> tuple[float, float]:
    return word.x0, (word.top + word.bottom) / 2


@functools.lru_cache(maxsize=4096)
def _cleans_to_bullet(text: str) -> bool:
    return clean_text(text) == BULLET


def _segments(words: list[Word]) -> list[Segment]:
    """Chain words left to right into segments: same line, gap under ``SEGMENT_GAP_EM`` font sizes.

    Chaining by neighbourhood, not by page-wide rows, keeps a left-column line and a right-column line a
    few points apart in height from merging or chopping each other.

    This loop runs for every word against every open chain near its line, so it is written out: ``_aligned``,
    ``min`` and ``max`` inlined as conditionals that pick what the builtins pick (the first of equals), and each
    chain's first word's centre, height and baseline kept aside.
    """
    chains: list[list[Word]] = []
    tails: list[Word] = []  # each chain's last word
    heads: list[tuple[float, float, float]] = []  # each chain's first word: centre line, height, baseline
    bands: list[int] = []  # each chain's bucket
    #: open chains by the 4-point band of their last word's centre line
    buckets: dict[int, list[int]] = {}
    # Words come in x order, so a chain whose last word ends more than SEGMENT_GAP_EM of its own size left of a
    # word, and starts further left than a duplicate of the page's largest word could be, can take no later word:
    # it leaves its bucket. Only where no coordinate or size is NaN (the order and the bounds need numbers).
    largest = 1.0
    numbers = True
    for word in words:
        if word.size > largest:
            largest = word.size
        if word.size != word.size or word.x0 != word.x0 or word.top != word.top or word.bottom != word.bottom:
            numbers = False
    stale_reach = 0.3 * largest
    for word in sorted(words, key=_reading_key):
        x0, size, text, top, bottom = word.x0, word.size, word.text, word.top, word.bottom
        middle = (top + bottom) / 2
        height = bottom - top
        band = int(middle // 4)
        duplicate_reach = 0.3 * (1.0 if size < 1.0 else size)
        best = -1
        best_gap = 0.0
        duplicate = False
        for key in (band - 2, band - 1, band, band + 1, band + 2):
            members = buckets.get(key)
            if not members:
                continue
            stale: list[int] = []
            for c in members:
                last = tails[c]
                # the same word drawn twice a fraction of a point apart is fake bold: keep one
                if text == last.text and abs(x0 - last.x0) < duplicate_reach:
                    last_top, last_bottom = last.top, last.bottom
                    last_height = last_bottom - last_top
                    tolerance = 0.35 * (height if height < last_height else last_height)
                    if (
                        abs((last_top + last_bottom) / 2 - middle) <= tolerance
                        or abs(last_bottom - bottom) <= tolerance
                    ):
                        last.bold = duplicate = True
                        break
                gap = x0 - last.x1
                last_size = last.size
                if gap > SEGMENT_GAP_EM * (last_size if last_size < size else size):
                    if numbers and gap > SEGMENT_GAP_EM * last_size and x0 - last.x0 >= stale_reach:
                        stale.append(c)
                    continue
                largest = last_size if last_size > size else size
                if gap < -0.5 * (1.0 if largest < 1.0 else largest):
                    continue
                # aligned with the chain's first word, so a superscript does not shift the line
                head_middle, head_height, head_bottom = heads[c]
                tolerance = 0.35 * (height if height < head_height else head_height)
                if not (
                    abs(head_middle - middle) <= tolerance
                    or abs(head_bottom - bottom) <= tolerance
                    or (word.glued and _overlap(last, word) >= 0.3)
                ):
                    continue
                if best < 0 or abs(gap) < best_gap:
                    best, best_gap = c, abs(gap)
            if stale:
                buckets[key] = [c for c in members if c not in stale]
            if duplicate:
                break
        if duplicate:
            continue
        if best >= 0:
            buckets[bands[best]].remove(best)
            chains[best].append(word)
            tails[best] = word
            bands[best] = band
        else:
            best = len(chains)
            chains.append([word])
            tails.append(word)
            heads.append((middle, height, bottom))
            bands.append(band)
        buckets.setdefault(band, []).append(best)
    # a bullet set apart from its text by a tab stop still belongs to it
    for i, chain in enumerate(chains):
        if not _is_bullet(chain):
            continue
        bullet = chain[0]
        target = -1
        target_gap = 4 * max(bullet.size, 1.0)
        for j, other in enumerate(chains):
            if j == i or not other:  # a bullet already moved into its text left its chain empty
                continue
            gap = other[0].x0 - bullet.x1
            if 0 <= gap < target_gap and _aligned(bullet, other[0]):
                target, target_gap = j, gap
        if target >= 0:
            chains[target][:0] = chain
            chains[i] = []
    return [Segment(chain, row=0) for chain in chains if chain]


def _assign_rows(segments: list[Segment]) -> None:
    """Number the rows of one region: segments side by side on one line share a row.

    Each row is kept as its first segment's centre line, height, baseline and reach (how far below it a
    segment may still join it), with the spans its segments cover; ``_aligned`` is written out.
    """
    rows: list[tuple[float, float, float, float, list[tuple[float, float]]]] = []
    open_rows: list[int] = []
    for segment in sorted(segments, key=_row_key):
        x0, x1, bottom, middle = segment.x0, segment.x1, segment.bottom, segment.middle
        height = bottom - segment.top
        chosen = -1
        still_open: list[int] = []
        for r in open_rows:
            first_middle, first_height, first_bottom, reach, spans = rows[r]
            if middle - first_middle > reach:
                continue
            still_open.append(r)
            if chosen < 0:
                tolerance = 0.35 * (height if height < first_height else first_height)
                if (abs(first_middle - middle) <= tolerance or abs(first_bottom - bottom) <= tolerance) and not any(
                    x0 < span_x1 - 0.5 and x1 > span_x0 + 0.5 for span_x0, span_x1 in spans
                ):
                    chosen = r
        open_rows = still_open
        if chosen < 0:
            chosen = len(rows)
            rows.append((middle, height, bottom, 2 * (1.0 if height < 1.0 else height), []))
            open_rows.append(chosen)
        rows[chosen][4].append((x0, x1))
        segment.row = chosen


def _row_key(segment: Segment) -> tuple[float, float]:
    return segment.middle, segment.x0


@dataclass(slots=True)
class _Split:
    height: float
    inside: list[Segment]
    top: float
    left: list[Segment]
    right: list[Segment]


def _extent(segments: list[Segment]) -> float:
    return max(s.bottom for s in segments) - min(s.top for s in segments)


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
    # whitespace two lines tall across the whole region in its top quarter sets a header apart: columns start
    # below it (further down, two columns with a gap at the same height are still two columns)
    region_top = min(s.top for s in segments)
    header_limit = region_top + 0.25 * (max(s.bottom for s in segments) - region_top)
    line_height = statistics.median_low(s.bottom - s.top for s in segments)
    breaks: list[tuple[float, float]] = []
    reach = float("-inf")
    for segment in sorted((s for s in segments if s.top <= header_limit), key=lambda s: s.top):
        if reach > float("-inf") and segment.top - reach >= 2 * line_height:
            breaks.append((reach, segment.top))
        if segment.bottom > reach:  # max(reach, bottom)
            reach = segment.bottom
    best: _Split | None = None
    boxes = [(s.x0, s.x1, s.top, s.bottom) for s in segments]  # read once, scanned once per candidate
    for left_edge in candidates:
        edge = left_edge - 1.0
        crossing = [(top, bottom) for x0, x1, top, bottom in boxes if x0 < edge < x1]
        crossing += breaks
        crossing.sort()
        spans: list[tuple[float, float]] = []
        start = float("-inf")
        for top, bottom in crossing:
            if top > start:
                spans.append((start, top))
            if bottom > start:  # max(start, bottom)
                start = bottom
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
            if left_edge - max(s.x1 for s in left) < min_gap:
                continue
            top = min(s.top for s in inside)
            height = max(s.bottom for s in inside) - top
            if height < min_height or (best is not None and height <= best.height):
                continue
            if _side_notes(left, right) or _side_notes(right, left):
                continue
            # headings or dates set in a margin beside the first line of their entry read with that line
            left_notes = _margin_notes(left, right, left_side=True)
            right_notes = _margin_notes(right, left, left_side=False) | _flush_notes(right, left)
            left_column = [s for s in left if id(s) not in left_notes]
            right_column = [s for s in right if id(s) not in right_notes]
            if len(left_column) < MIN_COLUMN_SEGMENTS or len(right_column) < MIN_COLUMN_SEGMENTS:
                continue
            # a short side whose lines share the rows of the other side is the last cells of a small table (or
            # comments beside a list) in a one-column flow, not a sidebar: its rows read across
            (shorter, short), (longer, _) = sorted(
                ((_extent(left_column), left_column), (_extent(right_column), right_column)), key=lambda p: p[0]
            )
            if shorter < MIN_SIDE_SHARE * longer and _paired_share(short, inside) >= 0.6:
                continue
            left_column += [s for s in right if id(s) in right_notes]
            right_column += [s for s in left if id(s) in left_notes]
            best = _Split(height=height, inside=inside, top=top, left=left_column, right=right_column)
    return best


def _side_notes(main: list[Segment], notes: list[Segment]) -> bool:
    """True when one side is notes on the other side's lines, not a column: sparse (right-aligned dates and places
    of a one-column resume with short bullets, a margin of dates), with nearly every piece on a row of the other."""
    top = min(s.top for s in notes)
    extent = max(s.bottom for s in notes) - top
    density = sum(s.bottom - s.top for s in notes) / extent if extent > 0 else 1.0
    if density >= 0.45:
        return False
    middles = sorted(s.middle for s in main)
    paired = 0
    for segment in notes:
        tolerance = 0.35 * (segment.bottom - segment.top)
        i = bisect.bisect_left(middles, segment.middle - tolerance)
        if i < len(middles) and middles[i] <= segment.middle + tolerance:
            paired += 1
    return paired >= 0.8 * len(notes)


def _paired_share(side: list[Segment], region: list[Segment]) -> float:
    """Share of the side's segments whose baseline is the baseline of a segment of a similar size in the region
    outside the side (the rows of a table line up exactly; two columns set independently only now and then)."""
    own = {id(s) for s in side}
    others = sorted((s for s in region if id(s) not in own), key=lambda s: s.bottom)
    bottoms = [s.bottom for s in others]
    paired = sum(1 for segment in side if _baseline_partner(segment, others, bottoms))
    return paired / len(side) if side else 0.0


def _baseline_partner(segment: Segment, others: list[Segment], bottoms: list[float]) -> bool:
    """Whether one of ``others`` (sorted by ``bottoms``) has the segment's baseline and a similar size."""
    tolerance = 0.15 * (segment.bottom - segment.top)
    i = bisect.bisect_left(bottoms, segment.bottom - tolerance)
    while i < len(bottoms) and bottoms[i] <= segment.bottom + tolerance:
        small, large = sorted((segment.size, others[i].size))
        if large <= 1.35 * max(small, 1.0):
            return True
        i += 1
    return False


def _flush_notes(side: list[Segment], other: list[Segment]) -> set[int]:
    """Ids of short pieces flush with the right edge on the baseline of a line of the other side: a date, a place
    or a comment right-aligned on the row it belongs to."""
    right_edge = max(s.x1 for s in side)
    width = right_edge - min(s.x0 for s in side)
    others = sorted(other, key=lambda s: s.bottom)
    bottoms = [s.bottom for s in others]
    notes: set[int] = set()
    for segment in side:
        if right_edge - segment.x1 > 2.0 or segment.x1 - segment.x0 > 0.35 * width:
            continue
        # a date on the row of a title of its own side stays with that side
        if _baseline_partner(segment, others, bottoms) and not any(
            s is not segment and _aligned(s, segment) for s in side
        ):
            notes.add(id(segment))
    return notes


def _margin_notes(side: list[Segment], other: list[Segment], *, left_side: bool) -> set[int]:
    """Ids of the side's margin headings: blocks of one or two lines flush with the gutter, each set larger than the
    first line of the entry on the other side whose row it shares and beside that entry only; at least two of them.

    A sidebar's blocks fail one of these: they are longer, they sit beside the middle of a paragraph or beside more
    than one entry, or they are not aligned on the gutter.
    """
    inner = max(s.x1 for s in side) if left_side else min(s.x0 for s in side)
    others = sorted(other, key=lambda s: s.top)
    tops = [s.top for s in others]
    blocks: list[list[Segment]] = []
    bottom = float("-inf")
    for segment in sorted(side, key=lambda s: s.top):
        if not blocks or segment.top - bottom > 0.5 * (segment.bottom - segment.top):
            blocks.append([])
            bottom = float("-inf")
        blocks[-1].append(segment)
        bottom = max(bottom, segment.bottom)
    notes = [
        block
        for block in blocks
        if len(block) <= 2
        and all(abs((s.x1 if left_side else s.x0) - inner) <= 2.0 for s in block)
        and _notes_entry(block, others, tops)
    ]
    return {id(s) for block in notes for s in block} if len(notes) >= 2 else set()


def _notes_entry(block: list[Segment], others: list[Segment], tops: list[float]) -> bool:
    """Whether a block sits beside one entry of the other side: its first paired line starts a paragraph, and every
    other line beside the block belongs to that paragraph."""
    top = min(s.top for s in block)
    bottom = max(s.bottom for s in block)
    lo = bisect.bisect_left(tops, top - _NEIGHBOURS)
    hi = bisect.bisect_right(tops, bottom)
    beside = [o for o in others[lo:hi] if o.bottom > top and o.top < bottom]
    partner: Segment | None = None
    for segment in block:
        for o in beside:
            tolerance = 0.35 * min(segment.bottom - segment.top, o.bottom - o.top)
            if abs(segment.middle - o.middle) <= tolerance or abs(segment.bottom - o.bottom) <= tolerance:
                partner = o
                break
        if partner is not None:
            break
    # a heading in the margin is set larger than the entry beside it (dates and places are caught as sparse notes)
    if partner is None or block[0].size < 1.15 * partner.size:
        return False
    height = partner.bottom - partner.top
    previous = 0.0
    for o in others[lo:hi]:
        if o.top < partner.top - 0.5 * height and o.x0 < partner.x1 and o.x1 > partner.x0:
            previous = max(previous, o.bottom)
    if previous and partner.top - previous <= PARAGRAPH_GAP * height:
        return False  # beside the middle of a paragraph
    return all(o.top >= partner.top - 0.5 * height for o in beside)


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
    out: list[list[Segment]] = []
    for part in (above, split.left, split.right, below):
        out.extend(_regions(part, min_height, min_gap, depth + 1))
    return out


def _row_partner(segment: Segment, others: list[Segment]) -> bool:
    """Whether a segment is set on the row of one of ``others`` in a similar size (a date beside its title)."""
    for other in others:
        small, large = sorted((segment.size, other.size))
        if large <= 1.35 * max(small, 1.0) and _aligned(segment, other):
            return True
    return False


def _side_by_side(region: list[Segment], min_gap: float, depth: int = 0) -> list[list[Segment]]:
    """Split a leaf region where blocks stand side by side inside one band of the page: a name beside a
    right-aligned contact block, a list item whose text wraps beside short items.

    A band is a run of segments with no horizontal whitespace taller than half a line across the region; inside
    a band, a vertical gap of ``min_gap`` that no segment crosses separates two blocks, unless the rows line up
    (a table, read across) or the smaller side is notes on the rows of the other (dates beside their titles).
    """
    if len(region) < 3 or depth > 4:
        return [region]
    ordered = sorted(region, key=lambda s: s.top)
    bands: list[list[Segment]] = [[ordered[0]]]
    bottom = ordered[0].bottom
    for segment in ordered[1:]:
        if segment.top - bottom > 0.5 * (segment.bottom - segment.top):
            bands.append([])
        bands[-1].append(segment)
        bottom = max(bottom, segment.bottom)
    out: list[list[Segment]] = []
    pending: list[Segment] = []
    for band in bands:
        parts = _band_split(band, min_gap)
        if parts is None:
            pending.extend(band)
            continue
        if pending:
            out.append(pending)
            pending = []
        for part in parts:
            out.extend(_side_by_side(part, min_gap, depth + 1))
    if pending:
        out.append(pending)
    return out


def _band_split(band: list[Segment], min_gap: float) -> tuple[list[Segment], list[Segment]] | None:
    """The band's two sides at its widest clear vertical gap, or None when it reads by rows."""
    if len(band) < 3:
        return None
    by_x = sorted(band, key=lambda s: s.x0)
    reach = by_x[0].x1
    best_gap, cut = 0.0, -1
    for k in range(1, len(by_x)):
        gap = by_x[k].x0 - reach
        if gap >= min_gap and gap > best_gap:
            best_gap, cut = gap, k
        reach = max(reach, by_x[k].x1)
    if cut < 0:
        return None
    left, right = by_x[:cut], by_x[cut:]
    rows_left, rows_right = _row_count(left), _row_count(right)
    if max(rows_left, rows_right) < 2:
        return None
    (rows_fewer, fewer), (rows_more, more) = sorted(((rows_left, left), (rows_right, right)), key=lambda p: p[0])
    if rows_fewer == 1 and all(_row_partner(s, more) for s in fewer):
        return None  # a date or a place on the row of a title
    if rows_fewer > 1 and _side_notes(more, fewer):
        return None  # notes on the rows of the other side
    paired = _paired_share(fewer, band)
    if rows_fewer >= 0.6 * rows_more and paired >= 0.8:
        return None  # a table: its rows read across
    if _extent(fewer) < MIN_SIDE_SHARE * _extent(more) and paired >= 0.6:
        return None  # the last cells of a few rows beside a longer stack of lines
    return left, right


def _row_count(segments: list[Segment]) -> int:
    """Rows of a one-column stack of segments (segments side by side count once)."""
    rows = 0
    bottom = float("-inf")
    for segment in sorted(segments, key=lambda s: s.top):
        if segment.middle > bottom:
            rows += 1
        bottom = max(bottom, segment.bottom)
    return rows


def _segment_text(words: list[Word]) -> str:
    if len(words) == 1:
        return words[0].text
    parts = [words[0].text]
    for previous, word in itertools.pairwise(words):
        if not (word.glued and word.x0 - previous.x1 < 0.15 * word.size):
            parts.append(" ")
        parts.append(word.text)
    return "".join(parts)


def _line(segments: list[Segment]) -> LayoutLine:
    if len(segments) == 1:  # most lines: no sorting, joining or extremes to find
        segment = segments[0]
        words = segment.words
        text = _segment_text(words)
        x0, top, x1, bottom = segment.x0, segment.top, segment.x1, segment.bottom
    else:
        segments.sort(key=_x0_key)
        words = [w for s in segments for w in s.words]
        text = "\t".join(_segment_text(s.words) for s in segments)
        x0, top = min(s.x0 for s in segments), min(s.top for s in segments)
        x1, bottom = max(s.x1 for s in segments), max(s.bottom for s in segments)
    letters = bold_letters = 0
    for word in words:
        if word.bold:
            bold_letters += len(word.text)
        letters += len(word.text)
    size = _median_letter_size(words, letters)
    return LayoutLine(text, x0, top, x1, bottom, size, bold_letters / (letters or 1) >= 0.6)


def _x0_key(segment: Segment) -> float:
    return segment.x0


def _median_letter_size(words: list[Word], letters: int) -> float:
    """The median font size over the line's letters (each word's size once per letter), rounded to 0.1 pt.

    Sorting the words by size (stable) and counting letters up to the middle one picks the very value sorting
    every letter's size would (equal sizes keep the words' order either way), without a list per letter. A NaN
    size has no order, so that rare line takes the long way, as before. Most lines have one size: that is it
    (unless it is zero, where 0.0 and -0.0 are equal but print differently).
    """
    if not letters:
        return 0.0
    first = words[0].size
    if first != 0:
        for word in words:
            if word.size != first:
                break
        else:
            return round(first, 1)
    if any(word.size != word.size for word in words):
        sizes = sorted(w.size for w in words for _ in range(len(w.text)))
        return round(sizes[len(sizes) // 2], 1)
    index = letters // 2
    for word in sorted(words, key=_size_key):
        if index < len(word.text):
            return round(word.size, 1)
        index -= len(word.text)
    raise AssertionError("unreachable: the letters were counted from these words")


def _size_key(word: Word) -> float:
    return word.size


def _block_lines(region: list[Segment]) -> list[LayoutLine]:
    by_row: dict[int, list[Segment]] = {}
    for segment in region:
        by_row.setdefault(segment.row, []).append(segment)
    # the left edge most lines start at: a heading left of it, in a margin, beside its first line and set
    # larger than that line, is a line of its own before it
    edge: float | None = None
    keyed: list[tuple[float, int, LayoutLine]] = []
    for group in by_row.values():
        if len(group) == 1:  # most rows: one segment, nothing to sort or compare
            keyed.append((group[0].top, 1, _line(group)))
            continue
        group.sort(key=_x0_key)
        top = min(s.top for s in group)
        if group[0].size >= 1.15 * max(s.size for s in group[1:]):
            if edge is None:
                edge = collections.Counter(round(s.x0) for s in region).most_common(1)[0][0]
            margin = group[0].x1 < edge - 1.0 and group[1].x0 >= edge - 2.0
        else:
            margin = False
        if margin:
            keyed.append((top, 0, _line(group[:1])))
            group = group[1:]
        keyed.append((top, 1, _line(group)))
    keyed.sort(key=lambda item: (item[0], item[1], item[2].x0))
    lines = [line for _, _, line in keyed]
    paragraph = 0
    for previous, line in itertools.pairwise(lines):
        previous_height, height = previous.bottom - previous.top, line.bottom - line.top
        if not height < previous_height:  # min() of the two: the first unless the second is smaller
            height = previous_height
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
    min_gap = max(GUTTER_EM * body, 5.0)
    regions = _regions(segments, MIN_COLUMN_SHARE * text_height, min_gap)
    blocks: list[list[LayoutLine]] = []
    for region in regions:
        for part in _side_by_side(region, min_gap):
            _assign_rows(part)
            blocks.append(_block_lines(part))
    return PageLayout(blocks=blocks, columns=_columns(regions))


def median(values: list[float]) -> float:
    """Median of a non-empty list (0.0 for an empty one)."""
    return statistics.median(values) if values else 0.0
