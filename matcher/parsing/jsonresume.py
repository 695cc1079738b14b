"""JSON Resume (https://jsonresume.org/schema) to sectioned lines.

The schema already names its sections, so the text is written the way a resume reads: the contact block,
then one bold heading per non-empty section ("Experience", "Education", "Skills", ...), entries as a title
line, a date line ("2019-03 – Present": ISO dates cut to the month) and ``"• "`` highlight lines. Section
detection then finds the headings like those of any other resume. Unknown keys are ignored; values of the
wrong type are skipped, never fatal.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from matcher.errors import CorruptDocument
from matcher.parsing._build import BULLET, Deadline, RawDocument, RawLine, clean_line, failure
from matcher.parsing.detect import decode_text
from matcher.parsing.document import ParseLimits

#: Schema section key -> heading written in the text, in the order the text gives them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("work", "Experience"),
    ("volunteer", "Volunteer Experience"),
    ("education", "Education"),
    ("skills", "Skills"),
    ("projects", "Projects"),
    ("certificates", "Certifications"),
    ("publications", "Publications"),
    ("awards", "Awards"),
    ("languages", "Languages"),
    ("interests", "Interests"),
    ("references", "References"),
)


def _s(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and value != "" else ""


def _dates(entry: dict[str, Any], start: str = "startDate", end: str = "endDate") -> str:
    first, last = _s(entry.get(start))[:7], _s(entry.get(end))[:7]
    if start == end:  # a single date (an award, a publication)
        return first
    if first and not last:
        return f"{first} – Present"
    return " – ".join(p for p in (first, last) if p)


def _join(*parts: str, sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    return (item for item in _list(value) if isinstance(item, dict))


def _entry(title: str, dates: str, *, summary: str = "", highlights: Any = None, extra: str = "") -> list[str]:
    lines = [title, dates, extra, summary]
    lines += [f"{BULLET} {_s(h)}" for h in _list(highlights) if _s(h)]
    return [line for line in lines if line]


def _section_lines(key: str, items: Any) -> list[str]:
    out: list[str] = []
    for item in _dicts(items):
        if key in ("work", "volunteer"):
            employer = _s(item.get("name")) or _s(item.get("organization")) or _s(item.get("company"))
            out += _entry(_join(_s(item.get("position")), employer, sep=" — "), _dates(item),
                          extra=_join(_s(item.get("location")), _s(item.get("url"))),
                          summary=_s(item.get("summary")) or _s(item.get("description")),
                          highlights=item.get("highlights"))
        elif key == "education":
            degree = _join(_s(item.get("studyType")), _s(item.get("area")), sep=" in ")
            courses = ", ".join(_s(c) for c in _list(item.get("courses")) if _s(c))
            score = _s(item.get("score"))
            out += _entry(_join(degree, _s(item.get("institution")), sep=" — "), _dates(item),
                          extra=_join(f"Score: {score}" if score else "", f"Courses: {courses}" if courses else "",
                                      sep="; "))
        elif key == "skills":
            keywords = ", ".join(_s(k) for k in _list(item.get("keywords")) if _s(k))
            name = _join(_s(item.get("name")), _s(item.get("level")), sep=" — ")
            out.append(f"{name}: {keywords}" if name and keywords else name or keywords)
        elif key == "projects":
            out += _entry(_join(_s(item.get("name")), _s(item.get("url")), sep=" — "), _dates(item),
                          summary=_s(item.get("description")), highlights=item.get("highlights"),
                          extra=", ".join(_s(k) for k in _list(item.get("keywords")) if _s(k)))
        elif key == "certificates":
            out += _entry(_join(_s(item.get("name")), _s(item.get("issuer")), sep=" — "),
                          _dates(item, "date", "date"), extra=_s(item.get("url")))
        elif key == "publications":
            out += _entry(_join(_s(item.get("name")), _s(item.get("publisher")), sep=" — "),
                          _dates(item, "releaseDate", "releaseDate"), summary=_s(item.get("summary")),
                          extra=_s(item.get("url")))
        elif key == "awards":
            out += _entry(_join(_s(item.get("title")), _s(item.get("awarder")), sep=" — "),
                          _dates(item, "date", "date"), summary=_s(item.get("summary")))
        elif key == "languages":
            out.append(_join(_s(item.get("language")), _s(item.get("fluency")), sep=" — "))
        elif key == "interests":
            keywords = ", ".join(_s(k) for k in _list(item.get("keywords")) if _s(k))
            out.append(_join(_s(item.get("name")), keywords, sep=": "))
        elif key == "references":
            out.append(_join(_s(item.get("reference")), _s(item.get("name")), sep=" — "))
    return [line for line in out if line]


def parse_json_resume(data: bytes, limits: ParseLimits, deadline: Deadline) -> RawDocument:
    """Lines of a JSON Resume: contact block, then one headed block per section."""
    try:
        resume = json.loads(decode_text(data))
    except (ValueError, RecursionError) as exc:
        raise CorruptDocument(f"damaged JSON Resume: {failure(exc)}") from None
    if not isinstance(resume, dict):
        raise CorruptDocument("damaged JSON Resume: the top level is not an object")
    doc = RawDocument(format="jsonresume", parser="jsonresume")
    block = 0

    def add(text: str, *, bold: bool = False, size: float | None = None) -> None:
        cleaned = clean_line(text)
        if cleaned:
            doc.lines.append(RawLine(text=cleaned, bold=bold, size=size, block=block))

    basics = resume.get("basics") if isinstance(resume.get("basics"), dict) else {}
    assert isinstance(basics, dict)
    add(_s(basics.get("name")), bold=True, size=20.0)
    add(_s(basics.get("label")))
    location = basics.get("location") if isinstance(basics.get("location"), dict) else {}
    assert isinstance(location, dict)
    add(_join(_s(basics.get("email")), _s(basics.get("phone")), _s(basics.get("url")) or _s(basics.get("website")),
              sep=" | "))
    add(_join(_s(location.get("city")), _s(location.get("region")), _s(location.get("countryCode"))))
    for profile in _dicts(basics.get("profiles")):
        add(_join(_s(profile.get("network")), _s(profile.get("url")) or _s(profile.get("username")), sep=": "))
    summary = _s(basics.get("summary"))
    if summary:
        block += 1
        add("Summary", bold=True, size=14.0)
        add(summary)
    for key, heading in SECTIONS:
        deadline.check()
        lines = _section_lines(key, resume.get(key))
        if lines:
            block += 1
            add(heading, bold=True, size=14.0)
            for line in lines:
                add(line)
    return doc
