"""The layout analysis on synthetic pages: positions in points from the top-left corner."""

from __future__ import annotations

from matcher.parsing.layout import Word, layout_page


def _line(text: str, x: float, y: float, *, size: float = 10.0, bold: bool = False, gap: float = 3.0) -> list[Word]:
    """Words of one line starting at ``x`` with their baseline band at ``y`` (6 pt per character)."""
    words = []
    for token in text.split():
        width = 0.55 * size * len(token)
        words.append(Word(token, x, y, x + width, y + 1.2 * size, size, bold))
        x += width + gap
    return words


def _texts(words: list[Word]) -> list[list[str]]:
    return [[line.text for line in block] for block in layout_page(words).blocks]


def test_layout_reads_two_columns_column_by_column() -> None:
    words = _line("Jane Roe Machine Learning Engineer", 40, 20, size=16)
    for i in range(12):
        words += _line(f"left line {i} skills", 40, 60 + 14 * i)
        words += _line(f"right line {i} experience details here", 260, 62 + 14 * i)
    page = layout_page(words)
    blocks = [[line.text for line in block] for block in page.blocks]
    assert page.columns == 2
    assert blocks[0] == ["Jane Roe Machine Learning Engineer"]
    assert blocks[1] == [f"left line {i} skills" for i in range(12)]
    assert blocks[2] == [f"right line {i} experience details here" for i in range(12)]


def test_layout_keeps_right_aligned_dates_on_their_line() -> None:
    words: list[Word] = []
    y = 40.0
    for job in range(4):
        words += _line(f"Machine Learning Engineer at Company {job}", 40, y, bold=True)
        words += _line("Jan 2019 – Present", 480, y)
        for bullet in range(3):
            y += 14
            words += _line(f"• Built models and pipelines used by many teams across the company number {bullet}",
                           50, y)
        y += 20
    page = layout_page(words)
    assert page.columns == 1
    lines = [line.text for block in page.blocks for line in block]
    assert lines[0] == "Machine Learning Engineer at Company 0\tJan 2019 – Present"
    assert len(lines) == 16


def test_layout_does_not_split_a_small_table_into_columns() -> None:
    words: list[Word] = []
    for i in range(10):
        words += _line(f"paragraph line {i} that runs across the whole width of the page body", 40, 40 + 14 * i)
    for i in range(4):
        words += _line(f"201{i}", 40, 200 + 14 * i)
        words += _line(f"Award number {i} for a machine learning competition", 100, 200 + 14 * i)
    for i in range(10):
        words += _line(f"closing line {i} that runs across the whole width of the page body", 40, 270 + 14 * i)
    page = layout_page(words)
    lines = [line.text for block in page.blocks for line in block]
    assert page.columns == 1
    assert "2012\tAward number 2 for a machine learning competition" in lines


def test_layout_rejoins_a_bullet_set_apart_by_a_tab_stop() -> None:
    words = [Word("•", 40, 40, 44, 52, 10.0), *_line("Deployed PyTorch models", 70, 40)]
    assert _texts(words) == [["• Deployed PyTorch models"]]


def test_layout_glues_a_superscript_to_its_word() -> None:
    words = [Word("1", 40, 40, 45, 52, 10.0), Word("st", 45.2, 37, 52, 46, 7.0, glued=True),
             Word("place", 56, 40, 80, 52, 10.0)]
    assert _texts(words) == [["1st place"]]


def test_layout_drops_fake_bold_duplicates() -> None:
    words = _line("Skills", 40, 40) + _line("Skills", 40.3, 40)
    page = layout_page(words)
    assert [[(line.text, line.bold) for line in block] for block in page.blocks] == [[("Skills", True)]]


def test_layout_line_cues_are_size_and_bold_of_most_characters() -> None:
    words = _line("EXPERIENCE", 40, 40, size=14, bold=True) + _line("Data Scientist at Acme", 40, 70)
    lines = [line for block in layout_page(words).blocks for line in block]
    assert [(line.text, line.bold, line.size) for line in lines] == [
        ("EXPERIENCE", True, 14.0), ("Data Scientist at Acme", False, 10.0)
    ]
    assert [line.paragraph for line in lines] == [0, 1]


def test_layout_empty_page() -> None:
    page = layout_page([])
    assert page.blocks == []
