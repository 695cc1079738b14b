"""DOCX to lines with python-docx: body order, tables, text boxes, headers and footers.

* **Zip bombs** are refused before python-docx opens the file (it reads every part into memory): the sizes
  the archive declares for its members are summed and compared with ``ParseLimits.max_unzipped_bytes``, and
  the member count with ``max_zip_members``. A member cannot inflate past its declared size (``zipfile``
  stops there), so the declared sizes are a safe bound. A bomb is ``ZipBomb`` (code ``too_large``).
* **Order**: the body's paragraphs and tables as they appear (content controls opened), with the text of
  text boxes after the paragraph that anchors them (each once: Word also stores a VML fallback copy).
  Section headers come first and footers last, each distinct text once; Word's page-number fields are not
  text, so they do not appear.
* **Tables**: a row of one-paragraph cells is one line, cells joined by tabs (a skills grid); a row with
  longer cells (a two-column layout table) gives each cell's lines in turn, cell by cell.
* **Cues**: a line is bold when its runs are (direct formatting, character style, then paragraph style and
  its base styles), and sized from the runs or the style chain; Heading and Title styles count as bold.
  List paragraphs (numbering) become ``"• "`` lines.
* **Hidden runs** (keyword stuffing): runs marked hidden (``w:vanish``, reason ``invisible``), white runs with
  no shading or highlight behind them (``white_on_white``) and runs under ``ParseLimits.tiny_font_pt``
  (``tiny_font``) are kept out of the text and reported, as in PDFs (without a page: DOCX has none).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from typing import Any

from matcher.errors import CorruptDocument, SkillmatchError, UnsupportedFormat, ZipBomb
from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line, failure, out_of_memory
from matcher.parsing.document import HiddenReason, HiddenSpan, ParseLimits

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WHITE = frozenset({"FFFFFF", "FEFEFE", "FDFDFD", "FCFCFC", "FAFAFA"})
_PAGES_RE = re.compile(rb"<(?:\w+:)?Pages>\s*(\d+)\s*</(?:\w+:)?Pages>")


def check_zip(data: bytes, limits: ParseLimits) -> int:
    """Refuse archives that would inflate past the limits; returns the page count Word saved (0 if none)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                raise ZipBomb(f"DOCX holds {len(members):,} files, over the limit of {limits.max_zip_members:,} "
                              "(a zip bomb?)")
            total = sum(member.file_size for member in members)
            if total > limits.max_unzipped_bytes:
                raise ZipBomb(f"DOCX would inflate to {total:,} bytes, over the limit of "
                              f"{limits.max_unzipped_bytes:,} (a zip bomb?)")
            pages = 0
            if "docProps/app.xml" in archive.namelist():
                found = _PAGES_RE.search(archive.read("docProps/app.xml")[:65536])
                pages = int(found.group(1)) if found else 0
            return pages
    except SkillmatchError:
        raise
    except Exception as exc:
        raise CorruptDocument(f"damaged DOCX: {failure(exc)}") from None


class _Styles:
    """Bold, size and heading-ness of paragraph and character styles, resolved along base styles once."""

    def __init__(self, document: Any) -> None:
        self._styles = document.styles
        self._cache: dict[str, tuple[bool | None, float | None, bool, bool]] = {}
        #: the document default run size (w:docDefaults, in half-points), used where no style sets one
        self.default_size: float | None = None
        size = document.styles.element.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}sz")
        value = size.get(f"{_W}val") if size is not None else None
        if value is not None and value.isdigit():
            self.default_size = int(value) / 2
        #: the style of paragraphs that name none ("Normal")
        self.default_paragraph: str | None = None
        for style in document.styles.element.findall(f"{_W}style"):
            if style.get(f"{_W}type") == "paragraph" and style.get(f"{_W}default") in ("1", "true", "on"):
                self.default_paragraph = style.get(f"{_W}styleId")
                break

    def get(self, style_id: str | None) -> tuple[bool | None, float | None, bool, bool]:
        """(bold, size in points, heading style, list style) of a style, None where no style in the chain says."""
        if not style_id:
            return (None, None, False, False)
        cached = self._cache.get(style_id)
        if cached is not None:
            return cached
        bold: bool | None = None
        size: float | None = None
        heading = listed = False
        style = None
        for candidate in self._styles:
            if candidate.style_id == style_id:
                style = candidate
                break
        if style is not None:
            name = (style.name or "").lower()
            heading = name.startswith(("heading", "title")) or style_id.lower().startswith(("heading", "title"))
        depth = 0
        while style is not None and depth < 10:
            font = style.font
            if bold is None and font.bold is not None:
                bold = font.bold
            if size is None and font.size is not None:
                size = font.size.pt
            p_pr = getattr(style.element, "pPr", None)
            listed = listed or (p_pr is not None and p_pr.numPr is not None)
            style = style.base_style
            depth += 1
        result = (bold, size, heading, listed)
        self._cache[style_id] = result
        return result


class _Reader:
    def __init__(self, document: Any, deadline: Deadline, tiny_font_pt: float) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph
        from docx.text.run import Run

        self._run_type = Run
        self._paragraph_type = Paragraph
        self._table_type = Table
        self.document = document
        self.styles = _Styles(document)
        self.deadline = deadline
        self.block = 0
        self.count = 0
        self.runs = 0
        self.tiny_font_pt = tiny_font_pt
        #: runs nobody can see (keyword stuffing): reported, kept out of the text
        self.hidden: list[HiddenSpan] = []
        self._hidden_run = -1
        #: something behind the text that may not be white: a page colour, a shaded cell, a text box
        background = document.element.find(f"{_W}background")
        self.backdrop = background is not None and (background.get(f"{_W}color") or "FFFFFF").upper() not in _WHITE

    # --- paragraphs ---------------------------------------------------------------------------------------------
    def paragraph_lines(self, p_element: Any, parent: Any) -> list[RawLine]:
        self.count += 1
        if self.count % 50 == 0:
            self.deadline.check()
        paragraph = self._paragraph_type(p_element, parent)
        p_pr = p_element.pPr
        style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
        style_id = style_id or self.styles.default_paragraph
        p_bold, p_size, heading, style_listed = self.styles.get(style_id)
        listed = style_listed or (p_pr is not None and p_pr.numPr is not None)
        if heading:
            self.block += 1  # a blank line before a heading, as in the other formats
        pieces: list[tuple[str, bool, float | None]] = []
        for item in paragraph.iter_inner_content():
            runs = [item] if isinstance(item, self._run_type) else list(getattr(item, "runs", []))
            for run in runs:
                self.runs += 1
                if not self.runs & 255:  # one paragraph may hold 100,000 runs (fuzzing: 44 KB of DOCX)
                    self.deadline.check()
                text = run.text
                if not text:
                    continue
                r_pr = run._r.rPr
                c_bold, c_size, _, _ = self.styles.get(
                    r_pr.rStyle.val if r_pr is not None and r_pr.rStyle is not None else None
                )
                bold = run.bold if run.bold is not None else c_bold if c_bold is not None else p_bold
                size = run.font.size.pt if run.font.size is not None else c_size or p_size
                reason = self._hidden_reason(run, size)
                if reason is not None:
                    self._hide(text, reason)
                    continue
                pieces.append((text, bool(bold) or heading, size or self.styles.default_size))
        lines: list[RawLine] = []
        current: list[tuple[str, bool, float | None]] = []
        for text, bold, size in pieces:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    lines.extend(self._line(current, listed and not lines))
                    current = []
                current.append((part, bold, size))
        lines.extend(self._line(current, listed and not lines))
        # text boxes anchored in this paragraph (once: skip the VML copy under mc:Fallback)
        for box in p_element.iter(f"{_W}txbxContent"):
            if any(ancestor.tag == _MC_FALLBACK for ancestor in box.iterancestors()):
                continue
            self.block += 1
            outer, self.backdrop = self.backdrop, True
            lines.extend(self.block_lines(box, parent))
            self.backdrop = outer
        return lines

    def _hidden_reason(self, run: Any, size: float | None) -> HiddenReason | None:
        """Why a run cannot be seen: hidden (``w:vanish``), white without a shading or highlight, or tiny."""
        font = run.font
        if font.hidden:
            return "invisible"
        if size is not None and size < self.tiny_font_pt:
            return "tiny_font"
        color = font.color.rgb if font.color is not None and font.color.type is not None else None
        if color is None or str(color).upper() not in _WHITE or font.highlight_color is not None:
            return None
        # white is visible on a shaded run, paragraph or table cell, in a (possibly filled) text box, or on a
        # coloured page: only white with none of these behind it counts as hidden
        if self.backdrop or _shaded(run._r.rPr):
            return None
        p_pr = run._r.getparent().pPr if hasattr(run._r.getparent(), "pPr") else None
        return None if _shaded(p_pr) else "white_on_white"

    def _hide(self, text: str, reason: HiddenReason) -> None:
        text = clean_line(text)
        if not text:
            return
        last = self.hidden[-1] if self.hidden else None
        if last is not None and last.reason == reason and self._hidden_run == self.count:
            self.hidden[-1] = HiddenSpan(text=clean_line(f"{last.text} {text}"), page=None, reason=reason)
        else:
            self.hidden.append(HiddenSpan(text=text, page=None, reason=reason))
        self._hidden_run = self.count

    def _line(self, pieces: list[tuple[str, bool, float | None]], bullet: bool) -> list[RawLine]:
        text = clean_line("".join(t for t, _, _ in pieces))
        if not text:
            return []
        if bullet and not text.startswith(BULLET):
            text = f"{BULLET} {text}"
        letters = [(len(t.strip()), b, s) for t, b, s in pieces if t.strip()]
        total = sum(n for n, _, _ in letters) or 1
        bold = sum(n for n, b, _ in letters if b) / total >= 0.9
        sizes = [s for _, _, s in letters if s]
        # the commonest size (the first seen of equals); max(key=sizes.count) was quadratic in the runs of a line
        size = Counter(sizes).most_common(1)[0][0] if sizes else None
        return [RawLine(text=text, bold=bold, size=size, block=self.block)]

    # --- block containers ---------------------------------------------------------------------------------------
    def block_lines(self, container: Any, parent: Any) -> list[RawLine]:
        """Lines of a body, cell, header or text box: paragraphs and tables in order."""
        lines: list[RawLine] = []
        for child in _block_children(container):
            if child.tag == f"{_W}p":
                lines.extend(self.paragraph_lines(child, parent))
            elif child.tag == f"{_W}tbl":
                lines.extend(self.table_lines(child, parent))
        return lines

    def table_lines(self, tbl: Any, parent: Any) -> list[RawLine]:
        self.block += 1
        table = self._table_type(tbl, parent)
        lines: list[RawLine] = []
        for row in table.rows:
            self.deadline.check()
            seen: set[int] = set()
            cells = []
            for cell in row.cells:
                if id(cell._tc) not in seen:  # a merged cell is returned once per grid column
                    seen.add(id(cell._tc))
                    cells.append(cell)
            cell_lines = []
            for cell in cells:
                start, outer = self.block, self.backdrop
                self.backdrop = outer or _shaded(cell._tc.tcPr)
                cell_lines.append(self.block_lines(cell._tc, cell))
                self.block, self.backdrop = start, outer
            if all(len(found) <= 1 for found in cell_lines):
                texts = [found[0] for found in cell_lines if found]
                if texts:
                    lines.append(RawLine(text="\t".join(t.text for t in texts), bold=all(t.bold for t in texts),
                                         size=texts[0].size, block=self.block))
                continue
            for found in cell_lines:
                self.block += 1
                for line in found:
                    line.block = self.block
                lines.extend(found)
        self.block += 1
        return lines


def _shaded(properties: Any) -> bool:
    """A w:shd with a fill other than white or auto in run, paragraph or cell properties."""
    if properties is None:
        return False
    shading = properties.find(f"{_W}shd")
    if shading is None:
        return False
    fill = (shading.get(f"{_W}fill") or "auto").upper()
    return fill not in _WHITE and fill != "AUTO"


def _block_children(container: Any) -> Iterator[Any]:
    """Paragraphs and tables of a container, with content controls (w:sdt) opened."""
    for child in container.iterchildren():
        if child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _block_children(content)
        elif child.tag in (f"{_W}p", f"{_W}tbl"):
            yield child


def _header_footer_lines(reader: _Reader, document: Any, which: str) -> list[RawLine]:
    lines: list[RawLine] = []
    seen: set[str] = set()
    for section in document.sections:
        for attribute in (f"first_page_{which}", which, f"even_page_{which}"):
            part = getattr(section, attribute)
            if part.is_linked_to_previous:
                continue
            reader.block += 1
            found = reader.block_lines(part._element, part)
            key = "\n".join(line.text for line in found)
            if found and key not in seen:
                seen.add(key)
                lines.extend(found)
    return lines


def parse_docx(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of a Word document: headers, body (tables and text boxes included), footers."""
    pages = check_zip(data, limits)
    try:
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except ValueError as exc:
            if "content type" in str(exc):
                raise UnsupportedFormat("unsupported format: a Word template or macro file; save it as .docx") \
                    from None
            raise
        reader = _Reader(document, deadline, limits.tiny_font_pt)
        headers = _header_footer_lines(reader, document, "header")
        reader.block += 1
        body = reader.block_lines(document.element.body, document._body)
        footers = _header_footer_lines(reader, document, "footer")
    except SkillmatchError:
        raise
    except MemoryError:
        raise out_of_memory() from None
    except Exception as exc:
        raise CorruptDocument(f"damaged DOCX: {failure(exc)}") from None
    doc = RawDocument(format="docx", parser="python-docx", pages=max(pages, 1))
    doc.lines = headers + body + footers
    doc.hidden = reader.hidden
    return doc
