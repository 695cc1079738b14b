from __future__ import annotations

from matcher.parsing import ParsedDocument, parse_document

from .conftest import sample


def _lines(doc: ParsedDocument) -> list[str]:
    return [doc.line_text(line) for line in doc.lines]


def test_html_job_post_keeps_the_posting_and_drops_the_site() -> None:
    doc = parse_document(sample("jobs/senior_nlp_engineer_post.html"))
    assert doc.format == "html"
    lines = _lines(doc)
    assert lines[:4] == [
        "Senior NLP Engineer",
        "Berlin or remote (EU) · Full time · Machine Learning team",
        "About the team",
        "Our clinical NLP team turns doctors' free-text notes into structured data that care teams can search. "
        "We work with transformer models, a lot of careful evaluation, and clinicians who tell us when we are "
        "wrong.",
    ]
    assert lines[-1] == "Lumen Health is an equal opportunity employer."  # the article's own footer stays
    for boilerplate in ("Log in", "cookies", "Careers", "Similar jobs", "Data Engineer", "Subscribe", "©",
                        "dataLayer", "4471-B", "Careers at Lumen Health"):
        assert boilerplate not in doc.text


def test_html_headings_are_bold_lines_and_list_items_bullets() -> None:
    doc = parse_document(sample("jobs/senior_nlp_engineer_post.html"))
    cues = {doc.line_text(line): (line.bold, line.size) for line in doc.lines}
    assert cues["Senior NLP Engineer"] == (True, 24.0)
    assert cues["What you'll bring"] == (True, 18.0)
    assert cues["• 5+ years of experience in machine learning, at least 3 of them in NLP."] == (False, None)
    lines = _lines(doc)
    i = lines.index("Bonus points")
    assert lines[i + 1 : i + 3] == ["• Experience with medical ontologies such as SNOMED CT or ICD-10.",
                                    "• Knowledge of German is a plus."]


def test_html_without_main_keeps_the_body_and_uses_the_title_when_there_is_no_h1() -> None:
    page = (b"<html><head><title>ML Engineer - Acme</title></head><body><nav>Home | Jobs</nav>"
            b"<p><b>Requirements</b></p><ol><li>Python &amp; SQL</li><li>PyTorch</li></ol>"
            b"<table><tr><th>Level</th><th>Senior</th></tr><tr><td>Remote</td><td>yes</td></tr></table>"
            b"<p>Apply at <a href='mailto:jobs@acme.example'>jobs@acme.example</a><br>Thanks!</p></body></html>")
    doc = parse_document(page)
    assert _lines(doc) == ["ML Engineer - Acme", "Requirements", "1. Python & SQL", "2. PyTorch", "Level\tSenior",
                           "Remote\tyes", "Apply at jobs@acme.example", "Thanks!"]
    assert doc.lines[1].bold


def test_html_malformed_markup_still_parses() -> None:
    doc = parse_document(b"<div><h2>Skills<ul><li>PyTorch<li>JAX</ul><p>Unclosed <b>bold<p>Next</div></div>")
    assert _lines(doc) == ["Skills", "• PyTorch", "• JAX", "Unclosed bold", "Next"]


def test_html_text_loose_at_the_end_of_main_is_kept() -> None:
    doc = parse_document(b"<html><body><nav>Jobs</nav><main><h1>ML Engineer</h1>Remote, EU time zones</main>"
                         b"<footer>Imprint</footer></body></html>")
    assert doc.text == "ML Engineer\nRemote, EU time zones"


def test_html_declared_charset_is_honoured() -> None:
    page = '<html><head><meta charset="windows-1251"></head><body><h1>Инженер ML</h1><p>Python, PyTorch</p></body>'
    doc = parse_document(page.encode("cp1251"))
    assert _lines(doc) == ["Инженер ML", "Python, PyTorch"]
