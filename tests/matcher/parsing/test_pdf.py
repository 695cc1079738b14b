from __future__ import annotations

import functools
import re
from types import ModuleType

import pypdfium2 as pdfium
import pytest

import matcher.parsing.pdf as pdf_module
from matcher.errors import (
    CorruptDocument,
    DocumentError,
    DocumentTooLarge,
    EmptyDocument,
    EncryptedDocument,
    NoTextLayer,
)
from matcher.parsing import ParsedDocument, parse_document
from matcher.parsing.document import HiddenSpan

from .conftest import drawn_pdf, real_document, sample


def _lines(doc: ParsedDocument) -> list[str]:
    return [doc.line_text(line) for line in doc.lines]


# --- our samples ---------------------------------------------------------------------------------------------------
def test_pdf_one_column_lines_come_with_their_cues() -> None:
    doc = parse_document(sample("resumes/ml_engineer_one_column.pdf"))
    assert doc.format == "pdf"
    assert doc.pages == 1
    assert doc.diagnostics.parser == "pypdfium2"
    assert doc.diagnostics.columns == (1,)
    assert [(doc.line_text(line), line.bold, line.size, line.page) for line in doc.lines[:4]] == [
        ("Maya Okafor", True, 20.0, 1),
        ("Machine Learning Engineer · Toronto, ON", False, 11.0, 1),
        ("maya.okafor@example.com · +1 416 555 0199 · github.com/mokafor-ml", False, 9.5, 1),
        ("SUMMARY", True, 12.0, 1),
    ]
    lines = _lines(doc)
    # a right-aligned date stays on its title's line, after a tab
    assert "Senior Machine Learning Engineer, Northwind Commerce\tMar 2021 – Present" in lines
    assert "• Cut p99 serving latency from 180 ms to 45 ms by exporting models to ONNX Runtime behind a" in lines


def test_pdf_joins_a_word_hyphenated_at_a_line_end() -> None:
    lines = _lines(parse_document(sample("resumes/ml_engineer_one_column.pdf")))
    i = lines.index("• Designed the offline evaluation harness for every ranking and recommendation")
    assert lines[i + 1] == "model, with Airflow jobs that publish nightly metrics to Grafana."


def test_pdf_two_column_sidebar_is_read_as_its_own_block_before_the_main_column() -> None:
    doc = parse_document(sample("resumes/nlp_engineer_two_column_sidebar.pdf"))
    lines = _lines(doc)
    assert doc.pages == 2
    assert doc.diagnostics.columns == (2, 1)
    sidebar = lines[: lines.index("PROFILE")]
    assert sidebar == [
        "Arjun Mehta",
        "NLP Engineer",
        "CONTACT",
        "arjun.mehta@example.net",
        "+44 20 7946 0321",
        "London, UK",
        "linkedin.com/in/arjun-nlp",
        "SKILLS",
        "Python, PyTorch",
        "Hugging Face Transformers",
        "spaCy, NLTK",
        "Elasticsearch, vLLM",
        "Docker, Kubernetes",
        "GCP Vertex AI",
        "LANGUAGES",
        "English, Hindi, Spanish",
        "EDUCATION",
        "MSc Speech and Language",
        "Processing",
        "University of Edinburgh",
        "2016 – 2017",
    ]
    # the sidebar block is separated from the main column by a blank line
    assert "2016 – 2017\n\nPROFILE\n" in doc.text
    # white text on the navy sidebar is visible, not hidden text
    assert doc.hidden_text == ()


def test_pdf_removes_running_footers_and_page_numbers() -> None:
    doc = parse_document(sample("resumes/nlp_engineer_two_column_sidebar.pdf"))
    assert "Page 1 of 2" not in doc.text
    assert "Page 2 of 2" not in doc.text
    assert "Arjun Mehta · Resume" not in doc.text
    assert "removed 4 running header, footer or page-number lines" in doc.warnings
    lines = _lines(doc)
    # page 2 follows page 1 directly
    i = lines.index("three product teams.")
    assert lines[i + 1] == "Data Scientist — Harbor Insurance\tJul 2017 – Jul 2019"
    assert doc.lines[i + 1].page == 2


def test_pdf_keyword_stuffing_is_reported_and_left_out_of_the_text() -> None:
    doc = parse_document(sample("broken/keyword_stuffing.pdf"))
    assert [(span.text, span.reason, span.page) for span in doc.hidden_text] == [
        ("PyTorch TensorFlow Kubernetes Spark Airflow", "white_on_white", 1),
        ("LLM RAG LangChain", "tiny_font", 1),
        ("Rust Scala Julia", "off_page", 1),
        ("CUDA Triton", "invisible", 1),
    ]
    for word in ("PyTorch", "TensorFlow", "LangChain", "Rust", "CUDA"):
        assert word not in doc.text
    assert "Python, pandas, SQL, Prophet, Power BI" in doc.text
    assert doc.diagnostics.hidden_text_count == 4
    assert (
        "4 hidden text spans (invisible 1, off_page 1, tiny_font 1, white_on_white 1) excluded from the text"
        in doc.warnings
    )


def test_pdf_include_hidden_puts_stuffed_keywords_back_and_still_reports_them() -> None:
    doc = parse_document(sample("broken/keyword_stuffing.pdf"), include_hidden=True)
    assert doc.text.endswith(
        "\n\nPyTorch TensorFlow Kubernetes Spark Airflow\nLLM RAG LangChain\nRust Scala Julia\nCUDA Triton"
    )
    assert len(doc.hidden_text) == 4
    assert isinstance(doc.hidden_text[0], HiddenSpan)
    assert doc.hidden_text[0].bbox is not None


@pytest.mark.parametrize(
    ("relative", "error", "code"),
    [
        ("broken/encrypted.pdf", EncryptedDocument, "encrypted_pdf"),
        ("broken/corrupt.pdf", CorruptDocument, "corrupt_file"),
        ("broken/truncated.pdf", CorruptDocument, "corrupt_file"),
        ("broken/scanned.pdf", NoTextLayer, "no_text_layer"),
        ("broken/blank_page.pdf", EmptyDocument, "empty_document"),
        ("broken/empty.pdf", EmptyDocument, "empty_document"),
        ("broken/too_many_pages.pdf", DocumentTooLarge, "too_many_pages"),
    ],
)
def test_pdf_bad_files_raise_typed_errors_with_stable_codes(
    relative: str, error: type[DocumentError], code: str
) -> None:
    with pytest.raises(error) as caught:
        parse_document(sample(relative))
    assert caught.value.code == code
    assert caught.value.message
    assert "\n" not in caught.value.message


def test_pdf_scanned_page_next_to_text_pages_is_flagged_not_fatal() -> None:
    text_pdf = pdfium.PdfDocument(sample("resumes/ml_engineer_one_column.pdf"))
    scanned = pdfium.PdfDocument(sample("broken/scanned.pdf"))
    text_pdf.import_pages(scanned)
    import io

    buffer = io.BytesIO()
    text_pdf.save(buffer)
    doc = parse_document(buffer.getvalue())
    assert doc.diagnostics.scanned_pages == (2,)
    assert doc.diagnostics.scanned
    assert not doc.diagnostics.empty
    assert "page 2 has no text layer (a scanned image?): its text is missing" in doc.warnings


def test_pdf_falls_back_to_pdfplumber_when_pdfium_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(data: bytes) -> pdfium.PdfDocument:
        raise pdfium.PdfiumError("Failed to load document (PDFium: Data format error).", err_code=3)

    monkeypatch.setattr(pdf_module, "_open", refuse)
    doc = parse_document(sample("resumes/ml_engineer_one_column.pdf"))
    assert doc.diagnostics.parser == "pdfplumber"
    assert any("read with pdfplumber instead" in warning for warning in doc.warnings)
    lines = _lines(doc)
    assert lines[:3] == [
        "Maya Okafor",
        "Machine Learning Engineer · Toronto, ON",
        "maya.okafor@example.com · +1 416 555 0199 · github.com/mokafor-ml",
    ]
    assert "• Designed the offline evaluation harness for every ranking and recommendation" in lines


# --- real documents -------------------------------------------------------------------------------------------------
_TEMPLATE_HEADINGS = {"summary", "experience", "education", "projects", "skills", "skills & awards", "links"}


def _template_sections(doc: ParsedDocument) -> dict[str, list[str]]:
    """Normalised words of each section of the Resume-Matcher template resume, split at its headings."""
    sections: dict[str, list[str]] = {"header": []}
    current = "header"
    for line in _lines(doc):
        if line.strip().lower() in _TEMPLATE_HEADINGS:
            current = line.strip().lower().split(" ")[0]
            sections[current] = []
            continue
        sections[current].extend(re.findall(r"\w+", line.lower()))
    return sections


def test_pdf_four_layouts_of_one_resume_read_the_same() -> None:
    """Same sections, same lines in the same order within each section, whatever the layout."""
    layouts = ["single-column", "two-column", "modern-single-column", "modern-two-column"]
    docs = {name: parse_document(real_document(f"resume-matcher/pdf_templates/{name}.pdf")) for name in layouts}
    parsed = {name: _template_sections(doc) for name, doc in docs.items()}
    reference = parsed["single-column"]
    # the one-column layouts label the skills list, the two-column ones show it as chips
    assert reference["skills"][:2] == ["technical", "skills"]
    reference["skills"] = reference["skills"][2:]
    for name in layouts[1:]:
        for section in ("header", "summary", "experience", "education", "projects", "skills"):
            words = parsed[name][section]
            if section == "skills" and name.startswith("modern-single"):
                words = words[2:]
            assert words == reference[section], f"{name}: {section} differs"
    assert [doc.diagnostics.columns for doc in docs.values()] == [(1,), (2,), (1,), (2,)]
    # the two-column layouts read the main column, then the sidebar
    assert list(parsed["two-column"]) == ["header", "summary", "experience", "projects", "education", "skills", "links"]
    assert list(parsed["single-column"]) == ["header", "summary", "experience", "education", "projects", "skills"]


_DEEDY_HEADINGS = ["EDUCATION", "LINKS", "COURSEWORK", "SKILLS", "EXPERIENCE", "RESEARCH", "AWARDS", "PUBLICATIONS"]


@pytest.mark.parametrize("build", ["MacFonts_deedy_resume.pdf", "OpenFonts_deedy_resume-openfont.pdf"])
def test_pdf_deedy_resume_comes_out_column_by_column(build: str) -> None:
    doc = parse_document(real_document(f"deedy/{build}"))
    lines = _lines(doc)
    assert doc.diagnostics.columns == (2,)
    assert [line for line in lines if line in _DEEDY_HEADINGS] == _DEEDY_HEADINGS
    # the whole left column (education to skills) comes before the right one starts
    assert lines.index("AS3 • iOS • Android • MySQL") + 1 == lines.index("EXPERIENCE")
    assert lines[lines.index("UNDERGRADUATE") + 1 : lines.index("UNDERGRADUATE") + 3] == [
        "Information Retrieval",
        "Operating Systems",
    ]
    # superscripts and the LaTeX logo stay inside their words
    assert "2014\t1st/50\tMicrosoft Coding Competition, Cornell" in lines
    assert "OCaml • Matlab • Rails • LATEX" in lines


def test_pdf_deedy_sections_follow_the_columns() -> None:
    sections = pytest.importorskip("matcher.analysis.sections")
    doc = parse_document(real_document("deedy/MacFonts_deedy_resume.pdf"))
    found = sections.detect_sections(doc.text, doc.lines, "resume")
    headings = [section.heading for section in found if section.heading in _DEEDY_HEADINGS]
    assert headings == _DEEDY_HEADINGS


def test_pdf_tex_hyphenation_is_joined_and_compounds_keep_their_hyphen() -> None:
    doc = parse_document(real_document("resume-matcher/JobDescriptionArchive/job_desc_java_developer.pdf"))
    assert "building high-performing, scalable," in doc.text
    assert "often high-volume and low-latency," in doc.text
    assert "Memory Management, Transaction management," in doc.text
    assert "scal-" not in doc.text


def test_pdf_real_resume_drops_page_numbers_and_icon_glyphs() -> None:
    doc = parse_document(real_document("resume-matcher/Resume_archive/alfred_pennyworth_pm.pdf"))
    assert doc.pages == 2
    assert "1/2" not in doc.text
    assert "2/2" not in doc.text
    assert "ð" not in doc.text
    assert "§" not in doc.text
    # "fl" ligature pieces stay in one word
    assert "2002 – 2007 Software Development Engineer I, Netflix, Los Gatos, CA, USA" in _lines(doc)


def test_pdf_real_resume_bullets_are_normalised() -> None:
    doc = parse_document(real_document("sb2nov/sourabh_bajaj_resume.pdf"))
    assert "◦" not in doc.text
    assert "• Google\tMountain View, CA" in _lines(doc)


@pytest.mark.parametrize(
    "relative",
    [
        "resume-matcher/Resume_archive/harvey_dent_mle.pdf",
        "resume-matcher/Resume_archive/john_doe.pdf",
        "resume-matcher/JobDescriptionArchive/job_desc_front_end_engineer.pdf",
        "sb2nov/sourabh_bajaj_resume.pdf",
    ],
)
def test_pdf_real_documents_have_sane_diagnostics(relative: str) -> None:
    doc = parse_document(real_document(relative))
    assert doc.diagnostics.parser == "pypdfium2"
    assert set(doc.diagnostics.columns) == {1}
    assert doc.diagnostics.text_area_share is not None
    assert 0.05 < doc.diagnostics.text_area_share < 0.9
    assert doc.hidden_text == ()
    assert doc.diagnostics.line_count == len(doc.lines) > 20


def test_pdf_parses_from_many_threads_at_once() -> None:
    """PDFium is not thread-safe: parses are serialised, so threads get the same result as one caller."""
    from concurrent.futures import ThreadPoolExecutor

    paths = [sample("resumes/ml_engineer_one_column.pdf"), sample("resumes/nlp_engineer_two_column_sidebar.pdf")]
    expected = [parse_document(path).text for path in paths]
    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(lambda path: parse_document(path).text, paths * 4))
    assert texts == expected * 4


def test_pdf_white_word_glued_to_a_visible_one_is_split_off_and_hidden() -> None:
    # "Kubernetes" starts exactly where "Python" ends: PDFium reads one token "PythonKubernetes"
    doc = parse_document(
        drawn_pdf(
            (72, 700, "Skills: Python", (0, 0, 0)),
            (132.02, 700, "Kubernetes", (255, 255, 255)),
            (72, 686, "Experience: five years", (0, 0, 0)),
        )
    )
    assert _lines(doc) == ["Skills: Python", "Experience: five years"]
    assert [(span.text, span.reason) for span in doc.hidden_text] == [("Kubernetes", "white_on_white")]


# --- one resume drawn in four layouts (tests/matcher/parsing/pdfgen.py) ----------------------------------------------
def _pdfgen() -> ModuleType:
    """The generator module, or a skip where reportlab (the test extra) is not installed."""
    pytest.importorskip("reportlab", reason="reportlab (the test extra) draws these PDFs")
    from tests.matcher.parsing import pdfgen

    return pdfgen


@functools.cache
def _generated(layout: str) -> ParsedDocument:
    return parse_document(_pdfgen().resume_pdf(layout))


def _flat(text: str) -> str:
    """The text with every run of whitespace (newlines, blank lines, tabs) as one space."""
    return " ".join(text.split())


_LAYOUTS = ["one_column", "left_sidebar", "right_sidebar_narrow", "right_sidebar_wide"]


@pytest.mark.parametrize("layout", _LAYOUTS)
def test_pdf_generated_layouts_keep_each_main_sentence_whole_and_in_order(layout: str) -> None:
    sentences = _pdfgen().MAIN_SENTENCES
    doc = _generated(layout)
    flat = _flat(doc.text)
    positions = [flat.find(sentence) for sentence in sentences]
    assert -1 not in positions, [s for s, p in zip(sentences, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    assert doc.diagnostics.columns == ((1,) if layout == "one_column" else (2,))


@pytest.mark.parametrize("layout", _LAYOUTS)
def test_pdf_generated_layouts_keep_each_sidebar_block_together(layout: str) -> None:
    flat = _flat(_generated(layout).text)
    for block in _pdfgen().SIDEBAR_BLOCKS:
        assert " ".join(block) in flat, block
    lines = _lines(_generated(layout))
    pdfgen = _pdfgen()
    # the name first, then the contact block right-aligned beside it
    assert lines[:6] == [pdfgen.NAME, pdfgen.HEADLINE, *pdfgen.CONTACT]
    skills = lines.index("SKILLS")
    assert lines[skills : skills + 7] == ["SKILLS", "Python", "PyTorch", "Spark", "SQL", "Kubernetes", "Airflow"]
    # a date right-aligned on its title's line stays on that line
    assert "Lead ML Engineer, Quayside Analytics\t2021 – present" in lines
    assert "MSc Computational Statistics, University of Porto\t2016 – 2018" in lines


def test_pdf_generated_layouts_read_the_same_words() -> None:
    pdfgen = _pdfgen()

    def words(text: str) -> set[str]:
        return set(re.findall(r"[\w'’+-]+", text.lower()))

    expected = words(
        " ".join(
            [
                pdfgen.NAME,
                pdfgen.HEADLINE,
                *pdfgen.CONTACT,
                pdfgen.SUMMARY,
                pdfgen.FOCUS,
                pdfgen.QUOTE,
                *pdfgen.SKILLS,
                *pdfgen.STRENGTHS,
                *pdfgen.LANGUAGES,
                "summary experience education skills focus strengths languages",
            ]
            + [" ".join([title, date, *bullets]) for title, date, bullets in pdfgen.JOBS]
            + [" ".join(row) for row in pdfgen.EDUCATION]
        )
    )
    for layout in _LAYOUTS:
        assert words(_generated(layout).text) == expected, layout


@pytest.mark.parametrize("layout", _LAYOUTS)
def test_pdf_generated_layouts_mark_wrapped_lines_and_not_list_items(layout: str) -> None:
    doc = _generated(layout)
    lines = _lines(doc)
    wraps = {text: line.wraps for text, line in zip(lines, doc.lines, strict=True)}
    natural = next(i for i, text in enumerate(lines) if text.endswith(" natural"))
    assert doc.lines[natural].wraps
    assert lines[natural + 1].startswith("language processing")
    # one skill per line: none of them runs on
    assert [wraps[skill] for skill in ["SKILLS", "Python", "PyTorch", "Spark", "SQL", "Kubernetes", "Airflow"]] == [
        False
    ] * 7
    assert not wraps["Lead ML Engineer, Quayside Analytics\t2021 – present"]
    assert not wraps["Portuguese (working)"]
    # a wrapped bullet runs on into its continuation; its last line does not run into the next bullet
    bullet = next(i for i, text in enumerate(lines) if text.startswith("• Rebuilt the demand forecasting"))
    end = next(i for i in range(bullet, len(lines)) if lines[i].endswith("over two quarters."))
    assert [line.wraps for line in doc.lines[bullet:end]] == [True] * (end - bullet)
    assert not doc.lines[end].wraps
    assert lines[end + 1].startswith("• Moved nightly batch scoring")
    # the last line of each paragraph never wraps
    assert not wraps["demand planning."]


# --- real layouts: sidebars, margin columns, right-aligned notes -----------------------------------------------------
_ABOUT_ME = [
    "Alice is a sensible prepubescent girl",
    "from a wealthy English family who finds",
    "herself in a strange world ruled by imagination",
    "and fantasy. Alice feels comfortable",
    "with her identity and has a strong",
    "sense that her environment is comprised",
    "of clear, logical, and consistent rules",
    "and features. Alice’s familiarity with the",
    "world has led one critic to describe her",
    'as a "disembodied intellect". Alice displays',
    "great curiosity and attempts to",
    "fit her diverse experiences into a clear",
    "understanding of the world.",
]


@pytest.mark.parametrize("build", ["Twenty-Seconds_cv.pdf", "Twenty-Seconds-Icons_cv.pdf"])
def test_pdf_twenty_seconds_reads_the_left_sidebar_whole_then_the_main_column(build: str) -> None:
    doc = parse_document(real_document(f"twenty-seconds/{build}"))
    lines = _lines(doc)
    assert doc.diagnostics.columns == (2,)
    # the sidebar's paragraph is whole and in order (its line beside the main column's large "experience" heading
    # used to join that heading and cut the paragraph in two)
    about = lines.index(_ABOUT_ME[0])
    assert lines[about : about + len(_ABOUT_ME)] == _ABOUT_ME
    assert lines.index("lovely?4 narcissistic?3") < lines.index("interests")
    assert "experience" in lines
    # the sidebar's paragraph runs on line to line; its last line and the one-word skills below do not
    assert [line.wraps for line in doc.lines[about : about + len(_ABOUT_ME)]] == [True] * 12 + [False]
    for skill in ["pursuer of rabbits", "good manners", "outgoing", "polite", "Java"]:
        assert not doc.lines[lines.index(skill)].wraps
    # places right-aligned on the title lines stay on their lines; icon glyphs are dropped, not their words
    assert "since 1865 Ph.D. candidate in Computer Science\tWonderland" in lines
    assert "1863-1865 M.Sc. magna cum laude\tWonderland" in lines
    assert "26 November 1865" in lines


def test_pdf_moderncv_classic_keeps_margin_dates_and_right_aligned_comments_on_their_rows() -> None:
    doc = parse_document(real_document("moderncv/template_classic_green.pdf"))
    lines = _lines(doc)
    # the name beside the right-aligned contact block reads first, then the contact block whole
    assert lines[:4] == ["John Doe", "Resumé title", "street and number", "postcode city"]
    assert lines[lines.index("street and number") : lines.index("additional information") + 1] == [
        "street and number",
        "postcode city",
        "country",
        "+1 (234) 567 890",
        "+2 (345) 678 901",
        "+3 (456) 789 012",
        "john@doe.org",
        "www.johndoe.com",
        "john.doe",
        "jdoe",
        "jdoe",
        "additional information",
    ]
    assert "year–year Job title, Employer, City." in lines
    assert "Language 1 Skill level\tComment" in lines
    assert "category 3 XXX, YYY, ZZZ\tcategory 6 XXX, YYY, ZZZ" in lines
    assert lines.index("category 3 XXX, YYY, ZZZ\tcategory 6 XXX, YYY, ZZZ") + 1 == lines.index("Interests")


def test_pdf_moderncv_fancy_margin_headings_come_before_their_entries() -> None:
    doc = parse_document(real_document("moderncv/template_fancy_purple.pdf"))
    lines = _lines(doc)
    for heading, first in [
        ("Education", "Degree, Institution, City, Grade.\tyear–year"),
        ("Master thesis", "title: Title"),
        ("Languages", "Language 1: Skill level\tComment"),
        ("Computer skills", "category 1: XXX, YYY, ZZZ\tcategory 4: XXX, YYY, ZZZ"),
    ]:
        assert lines[lines.index(heading) + 1] == first
    contact = lines.index("street and number")
    assert lines[contact + 11] == "additional information"
    assert not any(line.startswith(("Education\t", "Languages\t")) for line in lines)


def test_pdf_moderncv_oldstyle_letter_reads_before_the_address_beside_it() -> None:
    doc = parse_document(real_document("moderncv/template_oldstyle_grey.pdf"))
    lines = _lines(doc)
    letter = [i for i, line in enumerate(lines) if line.startswith("Lorem ipsum dolor sit amet")][-1]
    end = lines.index("venenatis.")
    assert end - letter == 23
    assert not any("john" in line or "street" in line for line in lines[letter:end])
    # the address set in a narrow column beside the letter comes after it, whole
    assert lines[-13:] == [
        "John Doe",
        "street and number",
        "postcode city",
        "country",
        "M +1 (234) 567 890",
        "T +2 (345) 678 901",
        "F +3 (456) 789 012",
        "E john@doe.org",
        "W www.johndoe.com",
        "in john.doe",
        "tw jdoe",
        "gh jdoe",
        "additional information",
    ]


def test_pdf_resume_archive_name_reads_before_the_contact_block_beside_it() -> None:
    doc = parse_document(real_document("resume-matcher/Resume_archive/alfred_pennyworth_pm.pdf"))
    assert _lines(doc)[:7] == [
        "Alfred Pennyworth",
        "Product Manager",
        "Silicon Valley, CA, USA",
        "(123) 456-7890",
        "alfred.pennyworth@email.com",
        "apennyworth",
        "apennyworth",
    ]


# --- reading in batches (issue 15) -----------------------------------------------------------------------------------
@pytest.mark.parametrize("relative", ["resumes/ml_engineer_one_column.pdf", "broken/keyword_stuffing.pdf"])
def test_pdf_batches_of_tokens_read_as_one(relative: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tokens are read ``_CHUNK`` at a time: batch edges (a glued token, a hidden word) change nothing."""
    whole = parse_document(sample(relative), include_hidden=True)
    monkeypatch.setattr(pdf_module, "_CHUNK", 3)
    monkeypatch.setattr(pdf_module, "_fast", None)  # its box buffer is sized by _CHUNK: made again, then restored
    batched = parse_document(sample(relative), include_hidden=True)
    assert batched.text == whole.text
    assert [(line.bold, line.size, line.page, line.wraps) for line in batched.lines] == [
        (line.bold, line.size, line.page, line.wraps) for line in whole.lines
    ]
    assert batched.hidden_text == whole.hidden_text


@pytest.mark.parametrize("relative", ["resumes/ml_engineer_one_column.pdf", "broken/keyword_stuffing.pdf"])
def test_pdf_prefetched_object_cues_equal_one_by_one(relative: str) -> None:
    """A batch of text objects read at once (``_prefetch``) gets the cues ``_object`` reads one object at a time,
    and ``_objects`` learns of an object only when it is asked for (``_tail_differs`` tells seen ones apart)."""
    pdf = pdfium.PdfDocument(sample(relative))
    try:
        for page in pdf:
            reader = pdf_module._PageReader(page.raw, pdf_module.ParseLimits())
            reader.read()
            addresses = [address for address in reader._objects if address is not None]
            assert addresses
            one_by_one = pdf_module._PageReader(page.raw, pdf_module.ParseLimits())
            batched = pdf_module._PageReader(page.raw, pdf_module.ParseLimits())
            batched._prefetch(addresses)
            assert list(batched._objects) == [None]
            assert [batched._object(a) for a in addresses] == [one_by_one._object(a) for a in addresses]
            page.close()
    finally:
        pdf.close()
