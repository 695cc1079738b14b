"""The layout analysis on synthetic pages: positions in points from the top-left corner."""

from __future__ import annotations

import random

from matcher.parsing.layout import Word, _median_letter_size, layout_page


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
            words += _line(f"• Built models and pipelines used by many teams across the company number {bullet}", 50, y)
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


def test_layout_rejoins_each_of_several_bullets_set_apart_by_a_tab_stop() -> None:
    # the second bullet used to look at the first one's emptied chain and fail (IndexError: "damaged PDF")
    words = []
    for i, text in enumerate(["Deployed PyTorch models", "Built the feature store", "Led two engineers"]):
        words += [Word("•", 40, 40 + 14 * i, 44, 52 + 14 * i, 10.0), *_line(text, 70, 40 + 14 * i)]
    assert _texts(words) == [["• Deployed PyTorch models", "• Built the feature store", "• Led two engineers"]]


def test_layout_median_letter_size_is_the_median_over_every_letter() -> None:
    """Counting letters over the words sorted by size gives what sorting each letter's size gives, to the value
    (0.0 and -0.0 are equal but print differently)."""
    rng = random.Random(15)
    for _ in range(2000):
        words = [
            Word("x" * rng.randint(0, 6), 0, 0, 1, 1, rng.choice([0.0, -0.0, 8.0, 9.5, 10.0, 10.04, 12.0]))
            for _ in range(rng.randint(1, 6))
        ]
        letters = sum(len(w.text) for w in words)
        sizes = sorted(w.size for w in words for _ in range(len(w.text)))
        expected = round(sizes[len(sizes) // 2], 1) if sizes else 0.0
        assert repr(_median_letter_size(words, letters)) == repr(expected)


def test_layout_glues_a_superscript_to_its_word() -> None:
    words = [
        Word("1", 40, 40, 45, 52, 10.0),
        Word("st", 45.2, 37, 52, 46, 7.0, glued=True),
        Word("place", 56, 40, 80, 52, 10.0),
    ]
    assert _texts(words) == [["1st place"]]


def test_layout_drops_fake_bold_duplicates() -> None:
    words = _line("Skills", 40, 40) + _line("Skills", 40.3, 40)
    page = layout_page(words)
    assert [[(line.text, line.bold) for line in block] for block in page.blocks] == [[("Skills", True)]]


def test_layout_line_cues_are_size_and_bold_of_most_characters() -> None:
    words = _line("EXPERIENCE", 40, 40, size=14, bold=True) + _line("Data Scientist at Acme", 40, 70)
    lines = [line for block in layout_page(words).blocks for line in block]
    assert [(line.text, line.bold, line.size) for line in lines] == [
        ("EXPERIENCE", True, 14.0),
        ("Data Scientist at Acme", False, 10.0),
    ]
    assert [line.paragraph for line in lines] == [0, 1]


def test_layout_empty_page() -> None:
    page = layout_page([])
    assert page.blocks == []


def _right(text: str, x1: float, y: float, *, size: float = 10.0, gap: float = 3.0) -> list[Word]:
    """Words of one line right-aligned at ``x1``."""
    width = sum(0.55 * size * len(token) for token in text.split()) + gap * (len(text.split()) - 1)
    return _line(text, x1 - width, y, size=size, gap=gap)


def _lines(words: list[Word]) -> list[str]:
    return [line.text for block in layout_page(words).blocks for line in block]


def test_layout_a_large_heading_across_a_narrow_gutter_does_not_join_the_line_beside_it() -> None:
    # the sidebar line ends 19 pt before the main column's 17 pt heading: a gap under 1.2 of the heading's size,
    # but twice the sidebar text's
    words: list[Word] = []
    for i in range(14):
        words += _line(f"sidebar paragraph line {i} runs on", 14, 300 + 12 * i)
    words += _line("ends here with imag-", 88, 300 + 12 * 14)
    for i in range(20):
        words += _line(f"main column line {i} with its own words", 208, 20 + 14 * i)
    words += _line("EXPERIENCE", 208, 300 + 12 * 14 - 4, size=17)
    for i in range(8):
        words += _line(f"experience line {i} of the main column", 208, 500 + 14 * i)
    page = layout_page(words)
    blocks = [[line.text for line in block] for block in page.blocks]
    assert page.columns == 2
    sidebar = next(block for block in blocks if block[0] == "sidebar paragraph line 0 runs on")
    assert sidebar[-1] == "ends here with imag-"
    assert len(sidebar) == 15
    main = [line for block in blocks if block is not sidebar for line in block]
    assert main.index("EXPERIENCE") == main.index("main column line 19 with its own words") + 1


def test_layout_reads_a_short_right_sidebar_after_the_long_main_column_beside_it() -> None:
    words: list[Word] = []
    for i in range(36):
        words += _line(f"letter line {i} of a long paragraph of running text", 40, 60 + 13.5 * i)
    for i in range(12):
        words += _line(f"sidebar {i} contact", 420, 62 + 12 * i)
    page = layout_page(words)
    blocks = [[line.text for line in block] for block in page.blocks]
    assert page.columns == 2
    assert blocks == [
        [f"letter line {i} of a long paragraph of running text" for i in range(36)],
        [f"sidebar {i} contact" for i in range(12)],
    ]


def test_layout_keeps_a_margin_column_of_dates_on_the_rows_of_their_entries() -> None:
    words: list[Word] = []
    y = 40.0
    for job in range(5):
        words += _line(f"201{job} – 201{job + 1}", 40, y)
        words += _line(f"Machine Learning Engineer at Company {job}", 120, y, bold=True)
        for k in range(3):
            y += 13
            words += _line(f"Description line {k} of job {job} in the main column", 120, y)
        y += 22
    page = layout_page(words)
    lines = _lines(words)
    assert page.columns == 1
    assert lines[0] == "2010 – 2011\tMachine Learning Engineer at Company 0"
    assert lines[4] == "2011 – 2012\tMachine Learning Engineer at Company 1"
    assert len(lines) == 20


def test_layout_headings_in_a_left_margin_read_as_lines_before_their_entries() -> None:
    # a contact block right-aligned in the left margin above headings set in that margin (moderncv fancy)
    words: list[Word] = _line("John Doe", 183, 30, size=30)
    for i, text in enumerate(
        [
            "street and number",
            "postcode city",
            "+1 234 567 890",
            "john@doe.org",
            "www.johndoe.com",
            "additional information",
        ]
    ):
        words += _right(text, 164, 70 + 12 * i)
    y = 170.0
    for heading in ["Education", "Experience", "Languages", "Interests"]:
        words += _right(heading, 164, y - 2, size=14)
        words += _line(f"First line of {heading.lower()} entry", 183, y)
        words += _line("year–year", 480, y)
        for k in range(3):
            words += _line(f"detail {k} of the {heading.lower()} entry", 183, y + 14 * (k + 1))
        y += 90
    lines = _lines(words)
    contact = lines.index("street and number")
    assert lines[contact : contact + 6] == [
        "street and number",
        "postcode city",
        "+1 234 567 890",
        "john@doe.org",
        "www.johndoe.com",
        "additional information",
    ]
    for heading in ["Education", "Experience", "Languages", "Interests"]:
        i = lines.index(heading)
        assert lines[i + 1] == f"First line of {heading.lower()} entry\tyear–year"
        assert lines[i + 2] == f"detail 0 of the {heading.lower()} entry"


def test_layout_reads_a_small_table_and_right_aligned_comments_across_their_rows() -> None:
    words: list[Word] = []
    y = 40.0
    for i in range(6):
        words += _line(f"Paragraph line {i} of the section above the skills table here", 75, y)
        y += 14
    for i in range(3):
        y += 16
        words += _line(f"Language {i + 1} Skill level", 75, y)
        words += _right("Comment", 520, y)
    y += 10
    for i in range(3):
        y += 16
        words += _line(f"category {i + 1} XXX, YYY, ZZZ", 75, y)
        words += _line(f"category {i + 4} XXX, YYY, ZZZ", 300, y)
    for i in range(14):
        y += 16
        words += _line(f"hobby {i} Description", 75, y)
    lines = _lines(words)
    assert layout_page(words).columns == 1
    assert "Language 2 Skill level\tComment" in lines
    assert "category 2 XXX, YYY, ZZZ\tcategory 5 XXX, YYY, ZZZ" in lines
    assert lines.index("category 3 XXX, YYY, ZZZ\tcategory 6 XXX, YYY, ZZZ") + 1 == lines.index("hobby 0 Description")


def test_layout_reads_a_name_before_the_right_aligned_contact_block_beside_it() -> None:
    words = _line("John Doe", 74, 174, size=30) + _line("Resume title", 74, 212, size=17)
    contact = [
        "street and number",
        "postcode city",
        "country",
        "+1 234 567 890",
        "john@doe.org",
        "www.johndoe.com",
        "john.doe",
        "jdoe",
        "additional information",
    ]
    for i, text in enumerate(contact):
        words += _right(text, 438, 100 + 13 * i)
    for i in range(10):
        words += _line(f"Body line {i} below the header of the resume page", 74, 280 + 14 * i)
    page = layout_page(words)
    blocks = [[line.text for line in block] for block in page.blocks]
    assert blocks[0] == ["John Doe", "Resume title"]
    assert blocks[1] == contact
    assert blocks[2][0] == "Body line 0 below the header of the resume page"


def test_layout_reads_a_header_above_a_sidebar_and_a_main_column_first() -> None:
    # nothing crosses the gutter in the header: the name is short and the contact block sits at the right edge
    words = _line("Lena Vasquez", 40, 40, size=20) + _line("Machine Learning Engineer", 40, 66, size=11)
    contact = ["lena@example.org", "+351 910 000 123", "Lisbon, Portugal"]
    for i, text in enumerate(contact):
        words += _right(text, 572, 40 + 11 * i, size=9)
    for i in range(20):
        words += _line(f"skill {i}", 40, 110 + 11.5 * i, size=9)
    for i in range(24):
        words += _line(f"main column line {i} about the work history", 200, 112 + 12 * i, size=9.5)
    blocks = [[line.text for line in block] for block in layout_page(words).blocks]
    assert blocks == [
        ["Lena Vasquez", "Machine Learning Engineer"],
        contact,
        [f"skill {i}" for i in range(20)],
        [f"main column line {i} about the work history" for i in range(24)],
    ]
