"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright against a live server.

Each view is exercised the way a person would use it (files chosen, text pasted, buttons pressed) and saved as
a screenshot. The expected skills were checked by hand against ``skillmatch match`` on the same files.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import LiveServer, create_key_for, start_server

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
RESUME_PDF = SAMPLES / "resumes" / "ml_engineer_one_column.pdf"
JOB_POST = SAMPLES / "jobs" / "mlops_engineer.txt"
RESUME_MD = SAMPLES / "resumes" / "ml_engineer_resume.md"

#: ml_engineer_one_column.pdf against mlops_engineer.txt, as `skillmatch match` reports them
MATCHED = ["MLOps", "MLflow", "Kubernetes", "Python", "Docker"]
MISSING = [
    "canary deployment",
    "CI/CD or GitHub Actions or GitLab CI/CD",
    "data quality",
    "Evidently AI",
    "model training",
    "Terraform",
    "Feast",
]

Screenshot = Callable[[Any, str], Path]


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def submit_match(
    page: Any, resume: Path | dict[str, Any], *, job_text: str | None = None, job_file: Path | None = None
) -> None:
    page.goto("/")
    page.set_input_files("#resume-file", resume if isinstance(resume, dict) else str(resume))
    if job_text is not None:
        page.fill("#job-text", job_text)
    if job_file is not None:
        page.set_input_files("#job-file", str(job_file))
    page.get_by_role("button", name="Match", exact=True).click()


def skill_names(page: Any, table: str) -> list[str]:
    return page.locator(f"#{table}-table .skill-button").all_inner_texts()


def _file_tag() -> str:
    """A fresh tag for a file name, in letters only: a hex tag with seven digits in a row ("c5939968") is a
    phone-like run, and the stored file name masks it as the document's text is masked."""
    return uuid.uuid4().hex[:8].translate(str.maketrans("0123456789", "ghijklmnop"))


def test_match_view_shows_the_gap_report(page: Any, screenshot: Screenshot) -> None:
    submit_match(page, RESUME_PDF, job_text=JOB_POST.read_text(encoding="utf-8"))
    expect(page.locator("#report-heading")).to_be_focused()

    assert skill_names(page, "matched") == MATCHED
    assert skill_names(page, "missing") == MISSING
    assert "Kubeflow" in skill_names(page, "partial")
    expect(page.locator("#score .score-number")).to_have_text("59.2")
    expect(page.locator("#verdict")).to_have_text("Partial fit")
    # the four components and the qualifications (the job's title: a related role, "Senior Machine Learning Engineer")
    expect(page.locator(".components tbody tr")).to_have_count(5)
    expect(page.locator("#qualifications-table tbody tr")).to_have_count(1)
    expect(page.locator("#qualifications-table")).to_contain_text("a related role")
    # the chart: one bar per category of the job's skills, values in its accessible description
    expect(page.locator("#coverage-chart .bar")).to_have_count(6)
    expect(page.locator("#coverage-desc")).to_contain_text("Programming languages: 100%")
    expect(page.locator("#learning-order li").first).to_contain_text("canary deployment")
    expect(page.locator("#transferable-list")).to_contain_text("Apache Airflow counts towards Kubeflow")
    expect(page.locator("#diagnostics")).to_contain_text("pypdfium2")
    # the result is announced to screen readers
    expect(page.locator("#announcer")).to_have_text(re.compile(r"^Score 59\.2 out of 100: 5 skills matched"))
    screenshot(page, "match")


def test_clicking_a_skill_highlights_its_evidence_in_both_texts(page: Any, screenshot: Screenshot) -> None:
    submit_match(page, RESUME_PDF, job_text=JOB_POST.read_text(encoding="utf-8"))
    button = page.locator("#matched-table .skill-button", has_text="Kubernetes")
    button.click()

    expect(button).to_have_attribute("aria-pressed", "true")
    for side in ("resume", "job"):
        marks = page.locator(f"#text-{side} mark.active")
        expect(marks).to_have_count(2)
        assert {text.lower() for text in marks.all_inner_texts()} == {"kubernetes"}
        # scrolled into view inside its panel
        panel = page.locator(f"#text-{side}").bounding_box()
        mark = marks.first.bounding_box()
        assert panel["y"] <= mark["y"]
        assert mark["y"] + mark["height"] <= panel["y"] + panel["height"]
    expect(page.locator("#evidence-note")).to_have_text("Kubernetes: 2 places in the resume, 2 places in the job post.")
    screenshot(page, "match-evidence")

    # keyboard: Enter on another skill moves the highlight
    docker = page.locator("#matched-table .skill-button", has_text="Docker")
    docker.focus()
    page.keyboard.press("Enter")
    expect(docker).to_have_attribute("aria-pressed", "true")
    expect(button).to_have_attribute("aria-pressed", "false")
    assert {t.lower() for t in page.locator("#text-job mark.active").all_inner_texts()} == {"docker"}

    # a missing skill is highlighted in the job post only
    page.locator("#missing-table .skill-button", has_text="Terraform").click()
    expect(page.locator("#text-job mark.active")).to_have_text(["Terraform"])
    expect(page.locator("#text-resume mark.active")).to_have_count(0)
    expect(page.locator("#evidence-note")).to_have_text("Terraform: nowhere in the resume, 1 place in the job post.")


def test_resume_dropped_on_the_box_is_used(page: Any) -> None:
    page.goto("/")
    transfer = page.evaluate_handle(
        """(text) => {
            const transfer = new DataTransfer();
            transfer.items.add(new File([text], "dropped_resume.md", { type: "text/markdown" }));
            return transfer;
        }""",
        RESUME_MD.read_text(encoding="utf-8"),
    )
    page.dispatch_event("#resume-drop", "dragover", {"dataTransfer": transfer})
    expect(page.locator("#resume-drop")).to_have_class(re.compile(r"\bdragging\b"))
    page.dispatch_event("#resume-drop", "drop", {"dataTransfer": transfer})
    expect(page.locator("#resume-drop")).not_to_have_class(re.compile(r"\bdragging\b"))
    expect(page.locator("#resume-chosen")).to_contain_text("Chosen: dropped_resume.md")
    page.fill("#job-text", JOB_POST.read_text(encoding="utf-8"))
    page.get_by_role("button", name="Match", exact=True).click()
    expect(page.locator(".score-what")).to_contain_text("dropped_resume.md for MLOps Engineer")


@pytest.mark.parametrize(
    ("sample", "message"),
    [
        ("encrypted.pdf", "This PDF is password-protected."),
        ("scanned.pdf", "No text found: is it a scan?"),
        ("corrupt.pdf", "This file is damaged or incomplete and cannot be read."),
        ("resume_screenshot.png", "This type of file is not supported."),
        ("too_many_pages.pdf", "This document has too many pages: at most 50 can be read."),
    ],
)
def test_broken_resume_shows_a_human_error(page: Any, screenshot: Screenshot, sample: str, message: str) -> None:
    submit_match(page, SAMPLES / "broken" / sample, job_text=JOB_POST.read_text(encoding="utf-8"))
    error = page.locator("#resume-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(message)
    expect(page.locator("#resume-file")).to_be_focused()
    expect(page.locator("#report")).to_be_hidden()
    if sample == "encrypted.pdf":
        screenshot(page, "error-encrypted")


def test_file_over_the_limit_is_refused_before_upload(page: Any, tmp_path: Path) -> None:
    big = tmp_path / "huge_resume.pdf"
    big.write_bytes(b"%PDF-1.7\n" + b"0" * 10_000_000)
    uploads: list[str] = []
    page.on("request", lambda request: uploads.append(request.url) if request.method == "POST" else None)
    submit_match(page, big, job_text="Requirements: Python")
    expect(page.locator("#resume-error")).to_have_text("File larger than 10 MB. Upload a smaller file.")
    assert uploads == []


def test_missing_inputs_are_named(page: Any) -> None:
    page.goto("/")
    page.get_by_role("button", name="Match", exact=True).click()
    expect(page.locator("#resume-error")).to_have_text("Choose a resume file, or drop one on the box.")
    expect(page.locator("#job-error")).to_have_text("Paste the job post, or choose a file.")
    expect(page.locator("#resume-file")).to_be_focused()


def test_hidden_text_is_flagged(page: Any) -> None:
    submit_match(page, SAMPLES / "broken" / "keyword_stuffing.pdf", job_file=SAMPLES / "jobs" / "ml_engineer_job.md")
    expect(page.locator("#trust-warnings")).to_be_visible()
    expect(page.locator("#diagnostics .hidden-text")).to_contain_text("Hidden text:")
    expect(page.locator("#diagnostics .hidden-spans li").first).to_contain_text("White text on a white background")


def test_document_text_never_becomes_markup(page: Any) -> None:
    """A file name and a job post full of markup are shown as the characters they are, and run nothing."""
    name = "<img src=x onerror=window.__xss=1>.md"  # no quotes: browsers percent-encode them in file names
    resume = {"name": name, "mimeType": "text/markdown", "buffer": RESUME_MD.read_bytes()}
    job = "Requirements\n- Python and Docker <script>window.__xss=2</script> <b onmouseover=alert(1)>bold</b>\n"
    submit_match(page, resume, job_text=job)
    expect(page.locator("#report-heading")).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator("#report img, #report script, #report b").count() == 0
    expect(page.locator(".score-what")).to_contain_text(name)
    expect(page.locator("#text-job")).to_contain_text("<script>window.__xss=2</script>")


def test_phone_width_has_no_sideways_scrolling(page: Any, screenshot: Screenshot) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    submit_match(page, RESUME_PDF, job_file=SAMPLES / "jobs" / "ml_engineer_job.md")
    expect(page.locator("#report-heading")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # tables become stacked cards, each value labelled
    expect(page.locator("#matched-table thead")).to_have_css("position", "absolute")
    screenshot(page, "match-phone")


def test_text_contrast_meets_wcag_aa(page: Any) -> None:
    """Every piece of text in the report and the form is at least 4.5:1 against what is behind it."""
    submit_match(page, RESUME_PDF, job_text=JOB_POST.read_text(encoding="utf-8"))
    page.locator("#matched-table .skill-button", has_text="Python").click()
    failures = page.evaluate(CONTRAST_SCRIPT)
    assert failures == []


CONTRAST_SCRIPT = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("svg") || el.closest("[hidden]") || el.disabled) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.position === "absolute" && style.clip !== "auto") continue;
    const fg = lum(parse(style.color).slice(0, 3));
    const bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const text = el.textContent.trim().slice(0, 30);
    if (ratio < 4.5) failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)} "${text}"`);
  }
  return failures;
}
"""


def test_titles_view_ranks_job_titles(page: Any, live_server: LiveServer, screenshot: Screenshot) -> None:
    page.goto("/")
    # keyboard: the view links work with Enter and move focus to the view's heading
    page.locator("a[data-view=titles]").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#titles-heading")).to_be_focused()
    page.set_input_files("#titles-file", str(RESUME_PDF))
    page.get_by_role("button", name="Rank job titles").click()
    rows = page.locator("#titles-table tbody tr")
    expect(rows.first).to_be_visible()

    resume_id = page.locator("#titles-resume").input_value()
    status, _, ranking = live_server.request("POST", f"v1/resumes/{resume_id}/titles")
    assert status == 200
    expected = [t["title"] for t in ranking["titles"]]
    assert len(expected) >= 20
    assert page.locator("#titles-table tbody th").all_inner_texts() == expected
    assert "Machine Learning Engineer" in expected[:3]
    assert ranking["no_fit"] is False
    expect(page.locator("#titles-no-fit")).to_have_count(0)
    expect(page.locator("#announcer")).to_contain_text(f"best fit: {expected[0]}")
    screenshot(page, "titles")


def test_titles_view_says_when_no_ml_title_fits(page: Any, screenshot: Screenshot) -> None:
    """Issue 17: a chef's resume gets "no ML title fits" above the nearest titles."""
    page.goto("/")
    page.locator("a[data-view=titles]").click()
    page.set_input_files("#titles-file", str(SAMPLES / "eval" / "fit_resumes" / "chef.md"))
    page.get_by_role("button", name="Rank job titles").click()
    expect(page.locator("#titles-no-fit")).to_contain_text("No ML job title fits this resume")
    expect(page.locator("#titles-table tbody tr").first).to_be_visible()
    expect(page.locator("#announcer")).to_contain_text("No ML job title fits")
    screenshot(page, "titles-no-fit")


def test_rankings_view_jobs_for_a_resume_and_candidates_for_a_job(
    page: Any, live_server: LiveServer, screenshot: Screenshot
) -> None:
    """Issue 19: both directions of the pool, as the API ranks them."""
    tag = _file_tag()
    status, _, resume = live_server.request(
        "POST", "v1/resumes", json_body={"text": RESUME_MD.read_text(encoding="utf-8"), "filename": f"cv-{tag}.md"}
    )
    assert status == 201
    job_ids = []
    for path in (JOB_POST, SAMPLES / "jobs" / "ml_engineer_job.md"):
        status, _, job = live_server.request(
            "POST", "v1/jobs", json_body={"text": path.read_text(encoding="utf-8"), "filename": f"{tag}-{path.name}"}
        )
        assert status == 201
        job_ids.append(job["id"])

    page.goto("/")
    page.locator("a[data-view=pool]").click()
    expect(page.locator("#pool-heading")).to_be_visible()
    expect(page.locator(f"#pool-resume option[value='{resume['id']}']")).to_have_count(1)
    page.select_option("#pool-resume", resume["id"])
    page.get_by_role("button", name="Find jobs").click()
    rows = page.locator("#pool-jobs-table tbody tr")
    expect(rows.first).to_be_visible()
    status, _, ranking = live_server.request("POST", f"v1/resumes/{resume['id']}/jobs?top=20")
    assert status == 200
    titles = [r["title"] or "untitled" for r in ranking["data"]]
    assert page.locator("#pool-jobs-table tbody th").all_inner_texts() == titles
    expect(page.locator("#announcer")).to_contain_text("best:")

    expect(page.locator(f"#pool-job option[value='{job_ids[1]}']")).to_have_count(1)
    page.select_option("#pool-job", job_ids[1])
    page.get_by_role("button", name="Rank candidates").click()
    expect(page.locator("#pool-candidates-table tbody tr").first).to_be_visible()
    status, _, candidates = live_server.request("POST", f"v1/jobs/{job_ids[1]}/candidates?top=20")
    assert status == 200
    names = page.locator("#pool-candidates-table tbody th").all_inner_texts()
    assert names == [c["filename"] or "untitled" for c in candidates["data"]]
    assert f"cv-{tag}.md" in names
    screenshot(page, "rankings")


def test_documents_view_lists_and_deletes(page: Any, live_server: LiveServer, screenshot: Screenshot) -> None:
    tag = _file_tag()
    resume_name, job_name = f"resume-{tag}.md", f"job-{tag}.txt"
    status, _, resume = live_server.request(
        "POST", "v1/resumes", json_body={"text": RESUME_MD.read_text(encoding="utf-8"), "filename": resume_name}
    )
    assert status == 201
    status, _, _ = live_server.request(
        "POST", "v1/jobs", json_body={"text": JOB_POST.read_text(encoding="utf-8"), "filename": job_name}
    )
    assert status == 201

    page.goto("/#documents")
    resume_row = page.locator("#documents-resume-table tbody tr", has_text=resume_name)
    expect(resume_row).to_have_count(1)
    expect(page.locator("#documents-job-table tbody tr", has_text=job_name)).to_have_count(1)
    expect(resume_row).to_contain_text("Markdown")
    screenshot(page, "documents")

    resume_row.get_by_role("button", name=f"Delete {resume_name}").click()
    # a second, explicit confirmation; Cancel puts things back
    resume_row.get_by_role("button", name="Cancel").click()
    expect(resume_row.get_by_role("button", name=f"Delete {resume_name}")).to_be_focused()
    resume_row.get_by_role("button", name=f"Delete {resume_name}").click()
    resume_row.get_by_role("button", name="Yes, delete").click()
    expect(page.locator("#documents-resume-table tbody tr", has_text=resume_name)).to_have_count(0)
    expect(page.locator("#documents-status")).to_have_text(f"Deleted {resume_name}.")
    status, _, _ = live_server.request("GET", f"v1/resumes/{resume['id']}")
    assert status == 404


@pytest.fixture
def keyed_server(tmp_path: Path) -> Iterator[tuple[LiveServer, str]]:
    """A server of its own on which an API key exists, so every /v1 route needs one; its upload limit is 2.5 MB."""
    server = start_server(tmp_path, SKILLMATCH_MAX_UPLOAD_BYTES="2500000")
    try:
        yield server, create_key_for(server, "web-test")
    finally:
        server.stop()


def test_page_asks_for_the_api_key_when_keys_are_in_force(
    browser: Any, keyed_server: tuple[LiveServer, str], page_errors: Any, screenshot: Screenshot
) -> None:
    server, key = keyed_server
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=server.url)
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.messages.append(str(error)))
    sent: list[str | None] = []
    page.on("request", lambda r: sent.append(r.headers.get("authorization")) if "/v1/" in r.url else None)
    try:
        page.goto("/#documents")
        expect(page.locator("#key-panel")).to_be_visible()
        expect(page.locator("#key-input")).to_be_focused()
        screenshot(page, "api-key")

        page.fill("#key-input", "sm_not-a-key")
        page.get_by_role("button", name="Use this key").click()
        expect(page.locator("#key-error")).to_have_text("This API key was refused. Check it and try again.")

        page.fill("#key-input", key)
        page.get_by_role("button", name="Use this key").click()
        expect(page.locator("#key-panel")).to_be_hidden()
        expect(page.locator("#documents-resume")).to_have_text("No resumes stored.")
        assert page.evaluate("sessionStorage.getItem('skillmatch.apiKey')") == key
        assert sent[-1] == f"Bearer {key}"
        expect(page.locator("#key-status")).to_be_visible()
        # the limit in words comes from the server's setting
        expect(page.locator("#resume-help")).to_contain_text("up to 2.5 MB")

        page.get_by_role("button", name="Forget key").click()
        assert page.evaluate("sessionStorage.getItem('skillmatch.apiKey')") is None
        expect(page.locator("#key-panel")).to_be_visible()
    finally:
        context.close()
    assert page_errors.messages == []
