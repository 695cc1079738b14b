from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from matcher.errors import CorruptDocument, UnsupportedFormat, ZipBomb
from matcher.parsing import ParsedDocument, ParseLimits, parse_document

from .conftest import DOCUMENTS, real_document, sample


def _lines(doc: ParsedDocument) -> list[str]:
    return [doc.line_text(line) for line in doc.lines]


def _save(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_header_first_then_body_with_tables_and_bullets() -> None:
    doc = parse_document(sample("resumes/applied_scientist_table_header.docx"))
    assert doc.format == "docx"
    assert doc.diagnostics.parser == "python-docx"
    lines = _lines(doc)
    assert lines[:3] == [
        "Sofia Lindqvist",
        "Applied Scientist, NLP · Stockholm · sofia.lindqvist@example.se · +46 8 555 0142",
        "Summary",
    ]
    skills = lines.index("Skills")
    assert lines[skills + 1 : skills + 5] == [
        "Area\tTools",
        "Machine learning\tPyTorch, scikit-learn, LightGBM",
        "NLP\tHugging Face Transformers, spaCy, FAISS",
        "Data\tSQL, Snowflake, Apache Spark",
    ]
    assert "• Forecast network load with LightGBM and Prophet for 3,000 cell sites." in lines
    assert "Senior Applied Scientist, Fjordline Media\tApr 2021 – Present" in lines


def test_docx_cues_come_from_runs_and_styles() -> None:
    doc = parse_document(sample("resumes/applied_scientist_table_header.docx"))
    cues = {doc.line_text(line): (line.bold, line.size) for line in doc.lines}
    assert cues["Sofia Lindqvist"] == (True, 18.0)  # direct run formatting, in the page header
    assert cues["Summary"] == (True, 14.0)  # Heading 1 style
    assert cues["Data\tSQL, Snowflake, Apache Spark"] == (False, 11.0)  # document default size
    # a heading starts a new block: a blank line before it
    assert "\n\nExperience\n" in doc.text


def test_docx_layout_table_is_read_cell_by_cell() -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left.text = "Skills"
    for text in ("Python", "PyTorch"):
        left.add_paragraph(text)
    right.text = "Experience"
    for text in ("ML Engineer at Acme Robotics", "Built grasp-detection models"):
        right.add_paragraph(text)
    doc = parse_document(_save(document))
    assert doc.text == ("Skills\nPython\nPyTorch\n\n"
                        "Experience\nML Engineer at Acme Robotics\nBuilt grasp-detection models")


def test_docx_text_box_text_appears_once() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("Priya Raman, ML Engineer")
    box = (
        '<w:p><w:r><w:t>Open to relocation</w:t></w:r></w:p>'
    )
    run = parse_xml(
        f'<w:r {nsdecls("w", "wp")} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback>'
        f'<w:pict><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'
    )
    paragraph._p.append(run)
    document.add_paragraph("Skills: PyTorch")
    doc = parse_document(_save(document))
    assert _lines(doc) == ["Priya Raman, ML Engineer", "Open to relocation", "Skills: PyTorch"]


def test_docx_zip_bomb_is_refused_before_python_docx_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    def never(*args: object) -> None:
        raise AssertionError("python-docx must not open a zip bomb")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(ZipBomb) as caught:
        parse_document(sample("broken/zip_bomb.docx"))
    assert caught.value.code == "too_large"
    assert caught.value.message == ("DOCX would inflate to 67,109,129 bytes, over the limit of 50,000,000 "
                                    "(a zip bomb?)")


def test_docx_too_many_members_is_a_zip_bomb() -> None:
    with pytest.raises(ZipBomb):
        parse_document(sample("resumes/applied_scientist_table_header.docx"), limits=ParseLimits(max_zip_members=5))


def _rewrite(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return buffer.getvalue()


def test_docx_broken_xml_is_corrupt() -> None:
    data = _rewrite(sample("resumes/applied_scientist_table_header.docx").read_bytes(), "word/document.xml",
                    b"<w:document><w:body><w:p>unclosed")
    with pytest.raises(CorruptDocument) as caught:
        parse_document(data)
    assert caught.value.code == "corrupt_file"
    assert caught.value.message.startswith("damaged DOCX: ")


def test_docx_word_template_is_unsupported() -> None:
    data = sample("resumes/applied_scientist_table_header.docx").read_bytes()
    types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.template.main+xml"
    )
    with pytest.raises(UnsupportedFormat) as caught:
        parse_document(_rewrite(data, "[Content_Types].xml", types))
    assert caught.value.code == "unsupported_format"


def test_docx_real_job_post() -> None:
    doc = parse_document(real_document("resume-matcher/JobDesc_docx_2020/Data Scientist.docx"))
    assert doc.pages == 2  # as Word saved it
    lines = _lines(doc)
    assert lines[:2] == ["Data Scientist/ ML Engineer", "Game Change Solutions"]
    assert (doc.lines[0].bold, doc.lines[0].size) == (True, 24.0)
    assert "• Experience with NoSQL databases, such as MongoDB, Cassandra, HBase" in lines


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in (DOCUMENTS / "resume-matcher" / "JobDesc_docx_2020").glob("*.docx")),
)
def test_docx_every_real_job_post_parses(name: str) -> None:
    doc = parse_document(real_document(f"resume-matcher/JobDesc_docx_2020/{name}"))
    assert doc.diagnostics.line_count > 5
    assert doc.text == doc.text.strip()


def test_docx_keyword_stuffing_is_reported_and_left_out_of_the_text() -> None:
    doc = parse_document(sample("broken/keyword_stuffing.docx"))
    assert [(span.text, span.reason, span.page) for span in doc.hidden_text] == [
        ("PyTorch TensorFlow Kubernetes", "white_on_white", None),
        ("LLM RAG LangChain", "tiny_font", None),
        ("CUDA Triton", "invisible", None),
    ]
    # white on the navy banner cell is visible
    assert _lines(doc) == ["Leo Brandt · Data Scientist", "Skills", "Python, pandas, SQL, Prophet, Power BI",
                           "Experience", "Data Scientist, Elbe Retail Group, 2020 – Present"]
