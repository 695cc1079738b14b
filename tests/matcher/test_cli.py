"""The `skillmatch` command contract, run as a real process where exit codes and stderr matter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from matcher.cli import main
from tests.conftest import REPO, SAMPLES

RESUME = SAMPLES / "resumes" / "ml_engineer_resume.md"
JOB = SAMPLES / "jobs" / "ml_engineer_job.md"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "matcher", *args], capture_output=True, text=True, cwd=REPO, timeout=120
    )


def test_cli_tag_json_contract() -> None:
    result = CliRunner().invoke(main, ["tag", str(RESUME), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert set(record) == {"source", "taxonomy_version", "model_version", "skills", "unlinked"}
    assert record["source"] == str(RESUME)
    parsed = CliRunner().invoke(main, ["parse", str(RESUME), "--format", "text"]).output
    sections = set()
    for skill in record["skills"]:
        assert {"id", "name", "category", "kind", "mentions", "years", "last_used"} <= set(skill)
        for m in skill["mentions"]:
            assert set(m) == {"start", "end", "text", "section"}
            assert parsed[m["start"] : m["end"]] == m["text"]
            sections.add(m["section"])
    assert {"experience", "skills", "education"} <= sections


@pytest.mark.parametrize(
    "path",
    [
        SAMPLES / "resumes" / "nlp_engineer_two_column_sidebar.pdf",
        SAMPLES / "resumes" / "applied_scientist_table_header.docx",
        SAMPLES / "resumes" / "ml_research_engineer.json",
        SAMPLES / "jobs" / "senior_nlp_engineer_post.html",
    ],
)
def test_cli_tag_reads_every_format(path: Path) -> None:
    result = CliRunner().invoke(main, ["tag", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    ids = {s["id"] for s in json.loads(result.output)["skills"]}
    assert "python" in ids or "pytorch" in ids


def test_cli_parse_json_contract() -> None:
    pdf = SAMPLES / "resumes" / "nlp_engineer_two_column_sidebar.pdf"
    result = CliRunner().invoke(main, ["parse", str(pdf), "--format", "json"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"source", "format", "text", "sections", "experience", "diagnostics", "warnings"} <= set(record)
    assert record["format"] == "pdf"
    for section in record["sections"]:
        assert 0 <= section["start"] < section["end"] <= len(record["text"])


def test_cli_parse_redact_hides_contact_data() -> None:
    result = CliRunner().invoke(main, ["parse", str(RESUME), "--format", "text", "--redact"])
    assert result.exit_code == 0
    assert "ana.example@example.org" not in result.output
    assert "Ana Example" not in result.output


def test_cli_tag_jsonl_one_line_per_file_in_input_order() -> None:
    result = CliRunner().invoke(main, ["tag", str(JOB), str(RESUME), "--kind", "resume", "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [json.loads(line)["source"] for line in lines] == [str(JOB), str(RESUME)]


def test_cli_tag_table() -> None:
    result = CliRunner().invoke(main, ["tag", str(JOB), "--format", "table"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(f"# {JOB}")
    assert any(line.startswith("pytorch ") for line in result.output.splitlines())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["tag", "does/not/exist.txt"], "no such file: does/not/exist.txt"),
        (["parse", "samples"], "cannot read samples: Is a directory"),
    ],
)
def test_cli_errors_are_one_line_on_stderr(args: list[str], message: str) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert proc.stderr == f"skillmatch: error: {message}\n"


@pytest.mark.parametrize(
    "broken", ["encrypted.pdf", "scanned.pdf", "empty.pdf", "corrupt.pdf", "zip_bomb.docx", "resume_screenshot.png"]
)
def test_cli_bad_documents_are_one_line_errors(broken: str) -> None:
    proc = run_cli("tag", str(SAMPLES / "broken" / broken))
    assert proc.returncode == 1
    assert len(proc.stderr.splitlines()) == 1
    assert proc.stderr.startswith("skillmatch: error: ")
    assert "Traceback" not in proc.stderr


def test_cli_document_error_names_its_file(tmp_path: Path) -> None:
    """Of several files, the one that failed is named: "empty file" alone does not say which."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    proc = run_cli("tag", str(RESUME), str(empty))
    assert proc.returncode == 1
    assert proc.stderr == f"skillmatch: error: {empty}: empty file\n"
    matched = run_cli("match", str(RESUME), str(SAMPLES / "broken" / "encrypted.pdf"))
    assert matched.stderr.startswith(f"skillmatch: error: {SAMPLES / 'broken' / 'encrypted.pdf'}: ")


def test_cli_taxonomy_lookup_jsonl() -> None:
    result = CliRunner().invoke(main, ["taxonomy", "lookup", "sklearn", "k8s", "no such skill", "--format", "jsonl"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [{k: r[k] for k in ("query", "id", "name")} for r in records] == [
        {"query": "sklearn", "id": "scikit_learn", "name": "scikit-learn"},
        {"query": "k8s", "id": "kubernetes", "name": "Kubernetes"},
        {"query": "no such skill", "id": None, "name": None},
    ]
    assert records[1]["tier"] == "curated"
    assert set(records[1]["external"]) == {"esco", "onet"}
    assert records[2]["tier"] is None
    assert records[2]["external"] is None


def test_cli_taxonomy_validate_ok_and_broken() -> None:
    ok = CliRunner().invoke(main, ["taxonomy", "validate"])
    assert ok.exit_code == 0
    assert ": OK (" in ok.output
    broken = run_cli("--taxonomy-dir", str(SAMPLES / "taxonomy" / "broken"), "taxonomy", "validate")
    assert broken.returncode == 1
    assert "skills.yaml: dangling.broader: unknown skill id 'does_not_exist'" in broken.stderr
    assert broken.stderr.splitlines()[-1].startswith("skillmatch: error: ")


def test_cli_taxonomy_stats_json() -> None:
    result = CliRunner().invoke(main, ["taxonomy", "stats", "--format", "json"])
    stats = json.loads(result.output)
    assert stats["skills"] >= 1000
    assert sum(stats["by_category"].values()) == stats["skills"]


def test_cli_user_taxonomy_dir_from_environment() -> None:
    env = {"SKILLMATCH_TAXONOMY_DIR": str(SAMPLES / "taxonomy" / "extension")}
    result = CliRunner().invoke(main, ["taxonomy", "lookup", "FFlow"], env=env)
    assert json.loads(result.output)["id"] == "acme_featureflow"


def test_cli_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = [["tag"], ["parse"], ["match"], ["titles"], ["rank"], ["batch"]]
    commands += [["taxonomy", "lookup"], ["taxonomy", "validate"], ["taxonomy", "stats"]]
    for command in commands:
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output
        assert f"skillmatch {' '.join(command)}" in result.output
        assert f"skillmatch {' '.join(command)}" in readme


def test_cli_match_json_contract() -> None:
    result = CliRunner().invoke(main, ["match", str(RESUME), str(JOB), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {"score", "components", "matched", "partial", "missing", "taxonomy_version", "job"} <= set(report)
    assert 0 <= report["score"] <= 100
    for group in ("matched", "partial", "missing"):
        assert all({"id", "name"} <= set(line) for line in report[group])


def test_cli_match_jsonl_one_line_per_job_in_input_order() -> None:
    other = SAMPLES / "jobs" / "mlops_engineer.txt"
    result = CliRunner().invoke(main, ["match", str(RESUME), str(JOB), str(other), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["job"] for line in result.output.splitlines()] == [str(JOB), str(other)]


@pytest.mark.parametrize(("fmt", "marker"), [("md", "# Match score"), ("html", "<svg")])
def test_cli_match_markdown_and_html(fmt: str, marker: str) -> None:
    result = CliRunner().invoke(main, ["match", str(RESUME), str(JOB), "--format", fmt, "--blind"])
    assert result.exit_code == 0, result.output
    assert marker in result.output
    assert str(RESUME) not in result.output  # blind: no file name


def test_cli_match_html_takes_one_job() -> None:
    proc = run_cli("match", str(RESUME), str(JOB), str(JOB), "--format", "html")
    assert proc.returncode == 1
    assert proc.stderr == "skillmatch: error: --format html writes one page: give one JOB\n"


def test_cli_titles_json_sorted_best_first() -> None:
    result = CliRunner().invoke(main, ["titles", str(RESUME), "--format", "json"])
    assert result.exit_code == 0, result.output
    titles = json.loads(result.output)["titles"]
    assert {"title", "score", "seniority", "missing"} <= set(titles[0])
    assert [t["score"] for t in titles] == sorted((t["score"] for t in titles), reverse=True)
    assert len(titles) >= 15


@pytest.mark.parametrize(
    ("resume", "no_fit"),
    [(SAMPLES / "eval" / "fit_resumes" / "chef.md", True), (SAMPLES / "eval" / "resumes" / "nlp_engineer.md", False)],
)
def test_cli_titles_says_when_no_ml_title_fits(resume: Path, no_fit: bool) -> None:
    """Issue 17: "no_fit" of the whole ranking, even when --top shows one title; the near-fits are still listed."""
    result = CliRunner().invoke(main, ["titles", str(resume), "--format", "json", "--top", "1"])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["no_fit"] is no_fit
    assert len(record["titles"]) == 1
    assert record["titles"][0]["fits"] is not no_fit
    table = CliRunner().invoke(main, ["titles", str(resume), "--format", "table", "--top", "3"])
    assert ("no ML title fits" in table.output) is no_fit


def test_cli_rank_resumes_for_a_job_best_first() -> None:
    resumes = sorted(str(p) for p in (SAMPLES / "eval" / "resumes").iterdir())[:6]
    job = SAMPLES / "eval" / "jobs" / "ml_engineer.md"
    result = CliRunner().invoke(main, ["rank", str(job), *resumes, "--format", "json", "--blind"])
    assert result.exit_code == 0, result.output
    ranked = json.loads(result.output)["resumes"]
    assert sorted(r["resume"] for r in ranked) == [f"resume #{i}" for i in range(1, 7)]
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)


def test_cli_match_top_ranks_the_jobs_best_first() -> None:
    """Issue 19: several jobs ranked for one resume, best K kept, with the scores of the one-pair reports."""
    jobs = sorted(str(p) for p in (SAMPLES / "jobs").iterdir())
    every = CliRunner().invoke(main, ["match", str(RESUME), *jobs, "--format", "jsonl"])
    assert every.exit_code == 0, every.output
    scores = {r["job"]: r["score"] for r in map(json.loads, every.output.splitlines())}
    best = sorted(jobs, key=lambda job: (-scores[job], jobs.index(job)))
    top = CliRunner().invoke(main, ["match", str(RESUME), *jobs, "--top", "2", "--format", "jsonl"])
    assert top.exit_code == 0, top.output
    records = [json.loads(line) for line in top.output.splitlines()]
    assert [(r["job"], r["score"]) for r in records] == [(job, scores[job]) for job in best[:2]]
    assert {"matched", "partial", "missing", "components"} <= set(records[0])  # full reports
    table = CliRunner().invoke(main, ["match", str(RESUME), *jobs, "--top", "3", "--format", "table"])
    assert table.exit_code == 0, table.output
    lines = table.output.splitlines()
    assert len(lines) == 4
    assert [line.split()[1] for line in lines[1:]] == best[:3]
    assert [float(line.split()[0]) for line in lines[1:]] == [scores[job] for job in best[:3]]


def test_cli_match_one_job_unchanged_by_top() -> None:
    plain = CliRunner().invoke(main, ["match", str(RESUME), str(JOB), "--format", "json"])
    top = CliRunner().invoke(main, ["match", str(RESUME), str(JOB), "--format", "json", "--top", "5"])
    assert plain.exit_code == 0, plain.output
    timing_free = [{k: v for k, v in json.loads(r.output).items() if k != "diagnostics"} for r in (plain, top)]
    assert timing_free[0] == timing_free[1]  # diagnostics carry parse times
    assert run_cli("match", str(RESUME), str(JOB), "--top", "0").returncode == 2  # click's usage error


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["match", str(RESUME), str(JOB), "--format", "xml"], "Invalid value for '--format'"),
        (["titles", str(RESUME), "--top", "-3"], "Invalid value for '--top'"),
        (["titles", str(RESUME), "--top", "0"], "Invalid value for '--top'"),
        (["match"], "Missing argument 'RESUME'"),
        (["no-such-command"], "No such command"),
    ],
)
def test_cli_usage_errors_are_one_line_and_exit_2(args: list[str], says: str) -> None:
    done = run_cli(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("skillmatch: error: ")
    assert says in lines[0]
    assert "--help" in lines[0]


def test_cli_help_and_version_still_exit_0() -> None:
    assert run_cli("--version").returncode == 0
    helped = run_cli("match", "--help")
    assert helped.returncode == 0
    assert helped.stdout.startswith("Usage:")


def test_cli_taxonomy_dir_after_the_command_is_the_same_as_before_it() -> None:
    extension = str(SAMPLES / "taxonomy" / "extension")
    before = CliRunner().invoke(main, ["--taxonomy-dir", extension, "taxonomy", "validate"])
    after = CliRunner().invoke(main, ["taxonomy", "validate", "--taxonomy-dir", extension])
    assert before.exit_code == after.exit_code == 0
    assert after.output == before.output
    assert "+acme" in after.output


def test_cli_engine_is_frozen_out_of_the_collector(tmp_path: Path) -> None:
    """The engine a command loads is frozen out of the collector's reach: collections scanning it cost ~0.13 s of
    `skillmatch tag` (issue 15). Run in a fresh process, where nothing else is frozen."""
    script = (
        "import gc, sys, click\n"
        "from matcher.cli import _engine\n"
        "from matcher.settings import Settings\n"
        "assert gc.get_freeze_count() == 0\n"
        "with click.Context(click.Command('tag'), obj=Settings(cache_dir=sys.argv[1])):\n"
        "    _engine(click.get_current_context())\n"
        "print(gc.get_freeze_count(), gc.isenabled())\n"
    )
    command = [sys.executable, "-c", script, str(tmp_path)]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    frozen, enabled = result.stdout.split()
    assert int(frozen) > 10_000  # ~37,000 objects the collector tracks
    assert enabled == "True"
