"""Personal data in a document: emails, phone numbers, URLs and the person's name; and a redacted copy.

Redaction keeps the text's length: each finding becomes a tag padded with spaces to the length of what it
replaces (``jane.doe@example.com`` -> ``[EMAIL]`` and 13 spaces), so every character offset computed on the
original text (sections, skill mentions) is still right on the redacted one. A finding shorter than its tag
gets a shortened tag (``[NA]`` for a 4-letter name). Newlines are never inside a finding, so lines stay
lines. ``keep_offsets=False`` writes bare tags instead, and offsets after the first finding move.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from matcher.analysis.headings import heading_key, match_heading
from matcher.types import DocumentKind, Section

__all__ = [
    "TAGS",
    "PersonalData",
    "PiiFinding",
    "PiiKind",
    "find_personal_data",
    "is_contact_line",
    "is_contact_only",
    "is_name_line",
    "link_labels",
    "redact",
]

PiiKind = Literal["email", "phone", "url", "name"]
#: The placeholder written for each kind of finding.
TAGS: dict[PiiKind, str] = {"email": "[EMAIL]", "phone": "[PHONE]", "url": "[URL]", "name": "[NAME]"}


@dataclass(frozen=True, slots=True)
class PiiFinding:
    """One piece of personal data: ``text[start:end]``; ``detail`` says which site a URL is on."""

    kind: PiiKind
    start: int
    end: int
    text: str
    #: for URLs: "linkedin", "github", "gitlab", "twitter", "scholar", "kaggle", "stackoverflow", "website"
    detail: str = ""


@dataclass(frozen=True, slots=True)
class PersonalData:
    """Every finding in a document, in text order, none overlapping."""

    findings: tuple[PiiFinding, ...] = ()

    def of_kind(self, kind: PiiKind) -> tuple[str, ...]:
        """Distinct texts of one kind, in order of first appearance."""
        return tuple(dict.fromkeys(f.text for f in self.findings if f.kind == kind))

    @property
    def emails(self) -> tuple[str, ...]:
        return self.of_kind("email")

    @property
    def phones(self) -> tuple[str, ...]:
        return self.of_kind("phone")

    @property
    def urls(self) -> tuple[str, ...]:
        return self.of_kind("url")

    @property
    def name(self) -> str | None:
        names = self.of_kind("name")
        return names[0] if names else None

    def redact(self, text: str, *, keep_offsets: bool = True) -> str:
        """The redacted view of the text these findings came from: see :func:`redact`."""
        return redact(text, self, keep_offsets=keep_offsets)


# --------------------------------------------------------------------------- patterns

_EMAIL = re.compile(
    # lenient about the domain ("a-.com" is not valid DNS but is still someone's address to hide)
    r"(?<![\w.+%-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?![\w-])"
)
# "jane [at] example [dot] com", "jane(at)example.com": written so to dodge scrapers, still personal data
_EMAIL_SPELLED = re.compile(
    # the look-behind covers every local-part character: a match starts a run only once (linear time)
    r"(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*[ \t]*[\[(][ \t]*at[ \t]*[\])][ \t]*[A-Za-z0-9-]+"
    r"(?:(?:[ \t]*[\[(][ \t]*dot[ \t]*[\])][ \t]*|\.)[A-Za-z0-9-]+)+",
    re.IGNORECASE,
)
_URL_SCHEME = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"'`|]+", re.IGNORECASE)
# Bare domains: "github.com/jane", "jane.dev". Top-level domains are lower case, which keeps "ASP.NET" out;
# the short list below (no "js", "py", "io" without a path) keeps "Node.js" and "Socket.io" out.
_TLD_ALONE = "com|org|net|edu|gov|me|dev|info|page|site|xyz|tech|name|blog|us|uk|de|fr|ca|eu|ch|nl|se|in"
_TLD_WITH_PATH = _TLD_ALONE + "|io|ai|co|ly|so|sh|app|cc|tv|to|gg|ml|is|be|it|es|pl|au|jp|cn|br"
_URL_BARE = re.compile(
    r"(?<![\w@.\-/])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    rf"(?:(?:{_TLD_WITH_PATH})/[^\s<>\"'`|]*|(?:{_TLD_ALONE})(?![\w/-]))"
)
_URL_TRAILING = ".,;:!?)]}>'\""
# Cheap hints, one in every match of the pattern named: only the words (or lines) holding one are searched.
_EMAIL_HINT = re.compile("@")
_EMAIL_SPELLED_HINT = re.compile(r"[\[(][ \t]*at[ \t]*[\])]", re.IGNORECASE)
_URL_SCHEME_HINT = re.compile(r"https?://|www\.", re.IGNORECASE)
_URL_BARE_HINT = re.compile(rf"\.(?:{_TLD_WITH_PATH})")  # _TLD_WITH_PATH holds _TLD_ALONE
_SITES = {
    "linkedin.com": "linkedin", "github.com": "github", "github.io": "github", "gitlab.com": "gitlab",
    "twitter.com": "twitter", "x.com": "twitter", "scholar.google": "scholar", "kaggle.com": "kaggle",
    "stackoverflow.com": "stackoverflow", "huggingface.co": "huggingface", "medium.com": "medium",
}  # fmt: skip
_PHONE = re.compile(
    r"""
    (?<![\w@/.:+\-])                       # not glued to a word, a URL or another number
    (?:(?:\+|00)\d{1,3}[ .\-\u00a0]?)?     # country code
    (?:\(\d{1,5}\)[ .\-\u00a0]?)?          # area code in parentheses, "(0)" of "+49 (0)30 ..." too
    \d{1,8}(?:[ .\-\u00a0]\d{1,8}){0,5}    # groups of digits
    (?:[ \u00a0]*(?:x|ext\.?)[ \u00a0]*\d{1,5})?
    (?![\w@/]|[.\-]\d)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_PHONE_HINT = re.compile(r"\d")
_DATEISH = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|(?:19|20)\d\d\s*[-.]\s*(?:19|20)\d\d)$"
)

_NAME_PARTICLES = frozenset({"van", "von", "de", "da", "del", "der", "den", "di", "la", "le", "du", "bin", "al"})
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zA-Z'’\-]*[a-zA-Z]|[A-Z]\.?|[A-Z][a-z]*[’'][A-Z][a-z]+)$")
# words that make a capitalised line something other than a name
_NOT_NAME = re.compile(
    r"\b(?:resume|résumé|curriculum|vitae|cv|engineer|engineering|developer|scientist|science|analyst|"
    r"manager|intern|student|consultant|designer|architect|researcher|director|lead|senior|junior|"
    r"machine|learning|data|software|university|college|institute|school|street|st|avenue|ave|road|rd|"
    r"city|inc|llc|ltd|gmbh|corp|company|technologies|solutions|page|updated|contact|profile|summary|"
    r"portfolio|email|phone|mobile|address|remote|usa|india|united|states|kingdom|experience|education|skills|"
    r"projects|objective|certifications|publications|awards|languages|interests|references)\b",
    re.IGNORECASE,
)
_NAME_LEAD = re.compile(r"[\s#*_>•·-]*(?:(?:dr|mr|mrs|ms|mx|prof)\.?\s+)?", re.IGNORECASE)
# what follows a comma after a place or a reversed name: capitalised words up to the next separator
_PLACE_AFTER = re.compile(r",\s*[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)*\s*(?:$|[,|•·])")
_CONTACT_LABELS = re.compile(
    r"\s*(?:\||•|·|,|–|—|\t| {2,}|"
    r"\b(?:e-?mail|phone|mobile|tel|cell|linkedin|github|address|web(?:site)?)\s*:)\s*",
    re.IGNORECASE,
)


def _url_detail(url: str) -> str:
    lower = url.lower()
    for site, detail in _SITES.items():
        if site in lower:
            return detail
    return "website"


def _phone_ok(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if digits < 8:
        return False  # every rule below asks for 8 or more; most candidates are years and counts
    core = re.sub(r"[ \u00a0]*(?:x|ext\.?)[ \u00a0]*\d+$", "", candidate, flags=re.IGNORECASE)
    if _DATEISH.match(core.strip()):
        return False
    groups = re.findall(r"\d+", core)
    if candidate.startswith(("+", "00")):
        return 8 <= digits <= 15
    if "(" in candidate:
        return 10 <= digits <= 15
    # without a country or area code: 10+ digits split into groups, as phone numbers are written
    return 10 <= digits <= 15 and len(groups) >= 2


# --------------------------------------------------------------------------- finding


def find_personal_data(
    text: str,
    sections: Sequence[Section] = (),
    kind: DocumentKind = "resume",
    *,
    max_name_lines: int = 5,
) -> PersonalData:
    """Emails, phone numbers, URLs and the person's name in ``text``.

    The name is looked for in the first ``max_name_lines`` non-empty lines of each ``"contact"`` section
    (the whole text's first lines when no sections are given): 2-4 capitalised words, no digits, not a
    heading, not a job title or place. Every later occurrence of that name is found too, so redaction
    removes it from a footer or a sign-off as well. Job posts (``kind="job"``) have no person's name to
    look for; their emails, phones and URLs are still found.

    Examples
    --------
    >>> data = find_personal_data("Jane Doe\\njane.doe@example.com | +1 (415) 555-0142\\nSkills")
    >>> (data.name, data.emails, data.phones)
    ('Jane Doe', ('jane.doe@example.com',), ('+1 (415) 555-0142',))
    """
    found: list[PiiFinding] = []
    for m in _scan(_EMAIL, _EMAIL_HINT, text):
        found.append(PiiFinding("email", m.start(), m.end(), m.group(0)))
    for m in _scan(_EMAIL_SPELLED, _EMAIL_SPELLED_HINT, text, lines=True):
        if re.search(r"[\[(]\s*at\s*[\])]", m.group(0), re.IGNORECASE):
            found.append(PiiFinding("email", m.start(), m.end(), m.group(0)))
    for pattern, hint in ((_URL_SCHEME, _URL_SCHEME_HINT), (_URL_BARE, _URL_BARE_HINT)):
        for m in _scan(pattern, hint, text):
            url = m.group(0).rstrip(_URL_TRAILING)
            if "." in url:
                found.append(PiiFinding("url", m.start(), m.start() + len(url), url, _url_detail(url)))
    for m in _scan(_PHONE, _PHONE_HINT, text, lines=True):
        candidate = m.group(0).strip()
        if candidate and _phone_ok(candidate):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            found.append(PiiFinding("phone", start, start + len(candidate), candidate))
    name = _find_name(text, sections, max_name_lines) if kind == "resume" else None
    if name is not None:
        name_pattern = r"(?<![\w@./])" + r"[ \t]+".join(map(re.escape, name.text.split())) + r"(?![\w@])"
        for m in re.finditer(name_pattern, text):
            if "\n" not in m.group(0):
                found.append(PiiFinding("name", m.start(), m.end(), m.group(0)))
    return PersonalData(_without_overlaps(found))


def _scan(
    pattern: re.Pattern[str], hint: re.Pattern[str], text: str, *, lines: bool = False
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, searched only in the words (``lines``: lines) that hold a ``hint``.

    Each pattern starts a try at nearly every character, which made these passes most of the time of finding
    personal data. The results are the same: every match holds its hint, and no match holds whitespace (with
    ``lines``: a newline), so none crosses the bounds searched; look-behinds still see the character before
    ``pos`` and the one after ``endpos`` is whitespace, which no look-ahead here refuses.
    """
    done = 0  # the text before ``done`` is searched
    for found in hint.finditer(text):
        if found.start() < done:
            continue
        if lines:
            start = text.rfind("\n", done, found.start()) + 1 or done
            end = text.find("\n", found.end())
            end = len(text) if end < 0 else end
        else:
            start, end = found.start(), found.end()
            while start > done and not text[start - 1].isspace():
                start -= 1
            while end < len(text) and not text[end].isspace():
                end += 1
        yield from pattern.finditer(text, start, end)
        done = end


_PRIORITY: dict[PiiKind, int] = {"email": 0, "url": 1, "phone": 2, "name": 3}


def _without_overlaps(findings: Iterable[PiiFinding]) -> tuple[PiiFinding, ...]:
    """Keep emails over URLs over phones over names, and longer over shorter, where they overlap."""
    # the kept spans never overlap, so sorted by start their ends are sorted too: the only one that can overlap
    # a new span is the last one starting before its end (a bisection, not a scan of all: texts with thousands
    # of e-mails or numbers made the scan quadratic)
    starts: list[int] = []
    kept: list[PiiFinding] = []
    for f in sorted(findings, key=lambda f: (_PRIORITY[f.kind], -(f.end - f.start), f.start)):
        i = bisect_left(starts, f.end)
        if i == 0 or kept[i - 1].end <= f.start:
            starts.insert(i, f.start)
            kept.insert(i, f)
    return tuple(kept)


def _find_name(text: str, sections: Sequence[Section], max_lines: int) -> PiiFinding | None:
    blocks = [(s.start, s.end) for s in sections if s.name == "contact"] if sections else [(0, len(text))]
    for block_start, block_end in blocks:
        seen = 0
        position = block_start
        for raw_line in text[block_start:block_end].splitlines(keepends=True):
            line = raw_line.rstrip("\r\n")
            line_start = position
            position += len(raw_line)
            if not line.strip():
                continue
            seen += 1
            if seen > max_lines:
                break
            candidate = _name_in_line(line)
            if candidate is not None:
                offset, name = candidate
                return PiiFinding("name", line_start + offset, line_start + offset + len(name), name)
    return None


def _name_in_line(line: str) -> tuple[int, str] | None:
    """The name at the start of a contact line ("Jane Doe | jane@example.com" -> "Jane Doe"), if any."""
    first = _CONTACT_LABELS.split(line.strip(), maxsplit=1)[0]
    after = line.strip()[len(first) :].lstrip()
    if _PLACE_AFTER.match(after):
        return None  # "San Francisco, CA", "Berlin, Germany", "Doe, Jane": a place, or a name split wrongly
    offset = line.find(first)
    # Markdown and bullets before the name, and a title before it ("# Dr. Jane Doe")
    lead = _NAME_LEAD.match(first)
    skip = lead.end() if lead else 0
    candidate = first[skip:].strip()
    offset += skip + len(first[skip:]) - len(first[skip:].lstrip())
    words = candidate.split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in candidate) or "@" in candidate:
        return None
    capitalised = [w for w in words if w.lower() not in _NAME_PARTICLES]
    if len(capitalised) < 2 or not all(_NAME_WORD.match(w) for w in capitalised):
        return None
    if words[0].lower() in _NAME_PARTICLES or _NOT_NAME.search(candidate):
        return None
    if match_heading(candidate, "resume") or match_heading(candidate, "job") or not heading_key(candidate):
        return None
    return offset, candidate


# --------------------------------------------------------------------------- contact lines

#: "Email: ...", "Phone - ...", "LinkedIn: ...": a label that only contact details follow
_CONTACT_LABEL_LINE = re.compile(
    r"^[\s•·*-]*(?:e-?mail|phone|mobile|mob|tel(?:ephone)?|cell|contact(?:\s+no\.?)?|linked-?in|github|gitlab|"
    r"twitter|skype|address|location|city|web(?:site)?|portfolio|homepage|date\s+of\s+birth|d\.?o\.?b|birth\s*date|"
    r"nationality|citizenship|gender|marital\s+status|visa(?:\s+status)?|pin(?:\s*code)?|zip(?:\s*code)?)"
    r"\s*(?:[:\-–|]|\s)",
    re.IGNORECASE,
)
#: Countries and "Remote": a line that is only a place ("Berlin, Germany", "Austin, TX", "United Kingdom")
_COUNTRIES = (
    "usa|u\\.s\\.a?\\.?|united states(?: of america)?|uk|u\\.k\\.|united kingdom|england|scotland|wales|ireland|india|"
    "germany|france|spain|italy|netherlands|canada|australia|china|japan|singapore|switzerland|sweden|poland|"
    "israel|brazil|mexico|portugal|austria|belgium|denmark|norway|finland|korea|south korea|new zealand|nigeria|"
    "kenya|egypt|pakistan|bangladesh|sri lanka|nepal|uae|united arab emirates|saudi arabia|turkey|greece|"
    "romania|ukraine|russia|czech republic|hungary|argentina|chile|colombia|peru|south africa|philippines|"
    "indonesia|malaysia|vietnam|thailand|taiwan|hong kong|remote|worldwide"
)
_PLACE_LINE = re.compile(
    rf"^(?:[A-Za-z]\s)?(?:(?:[A-Z][\w.'’-]*\s?){{1,4}},\s*)?(?:[A-Z]{{2}}|(?i:{_COUNTRIES}))"
    rf"(?:\s*,\s*(?:[A-Z]{{2}}|(?i:{_COUNTRIES})))?(?:\s+\d{{5}}(?:-\d{{4}})?)?\.?$"
)


_REDACTED = re.compile(r"\[(?:EMAIL|PHONE|URL|NAME)\]")


def has_contact_data(line: str) -> bool:
    """True when ``line`` holds an e-mail, a URL, a phone number or a contact label ("Phone: ..."), or the tag
    that replaced one (a redacted text reads as the original did)."""
    if "[" in line and _REDACTED.search(line):
        return True
    if "@" in line and (_EMAIL.search(line) or _EMAIL_SPELLED.search(line)):
        return True
    if _EMAIL_SPELLED_HINT.search(line) and _EMAIL_SPELLED.search(line):
        return True
    if _URL_SCHEME_HINT.search(line) or (_URL_BARE_HINT.search(line) and _URL_BARE.search(line)):
        return True
    if _CONTACT_LABEL_LINE.match(line):
        return True
    return any(ch.isdigit() for ch in line) and any(_phone_ok(m.group(0).strip()) for m in _PHONE.finditer(line))


#: a street address: "321 Gotham St", "12 Baker Street, London"
_STREET = re.compile(
    r"^\d{1,5}[A-Za-z]?\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:st|street|ave|avenue|rd|road|blvd|boulevard|ln|lane|dr|drive|"
    r"way|ct|court|pl|place|sq|square|pkwy|parkway|hwy|highway|terrace|close)\b\.?",
    re.IGNORECASE,
)


def is_contact_line(line: str) -> bool:
    """A line of a contact block: contact data, a street address, or a place and nothing else ("Austin, TX")."""
    stripped = line.strip(" \t•·|")
    if not stripped:
        return False
    if has_contact_data(stripped) or _STREET.match(stripped):
        return True
    # "Austin, TX | Remote", "Berlin, Germany · Open to relocation": every part a place
    parts = [p.strip() for p in re.split(r"\s*[|•·]\s*", stripped) if p.strip()]
    return bool(parts) and all(_PLACE_LINE.match(part) for part in parts)


def is_contact_only(line: str) -> bool:
    """A short line that holds contact data and little else ("GitHub (https://github.com/ana)", "Github:// ana"),
    wherever it stands: the words beside a link or an address name the link, not a skill."""
    if len(line) > 120 or not (has_contact_data(line) and (_LABELLED.match(line) or _any_address(line))):
        return False  # "GitHub Actions, TypeScript" starts like a label; a link, an address or "GitHub:" is one
    rest = _CONTACT_LABEL_LINE.sub(" ", line)
    for pattern in (_EMAIL, _URL_SCHEME, _URL_BARE, _PHONE, _REDACTED):
        rest = pattern.sub(" ", rest)
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 3


#: a contact label with its colon ("GitHub: ana", "Github:// ana", "Email - ana@...")
_LABELLED = re.compile(_CONTACT_LABEL_LINE.pattern.replace(r"\s*(?:[:\-–|]|\s)", r"\s*[:\-–|]"), re.IGNORECASE)


def _any_address(line: str) -> bool:
    return any(pattern.search(line) for pattern in (_EMAIL, _URL_SCHEME, _URL_BARE, _REDACTED)) or any(
        _phone_ok(m.group(0).strip()) for m in _PHONE.finditer(line)
    )


#: what may stand between a link's label and the link: "GitHub (https://...", "Kaggle: kaggle.com/...", "GitHub - ..."
_LABEL_GAP = re.compile(r"[\s(:|\-–—]{1,4}$")


def link_labels(text: str) -> list[tuple[int, int]]:
    """Words that label a link to their own site ("GitHub" in "GitHub (https://github.com/ana)"): the name of a
    profile, not a skill. Only the URL hints are searched, as in :func:`find_personal_data`."""
    spans = []
    for pattern, hint in ((_URL_SCHEME, _URL_SCHEME_HINT), (_URL_BARE, _URL_BARE_HINT)):
        for m in _scan(pattern, hint, text):
            gap = _LABEL_GAP.search(text, max(0, m.start() - 4), m.start())
            if gap is None:
                continue
            site = re.sub(r"^(?:https?://)?(?:www\.)?", "", m.group(0).lower())
            before = text[max(0, gap.start() - 30) : gap.start()]
            for words in (r"[^\W\d_]\w*", r"[^\W\d_]\w*\s[^\W\d_]\w*"):  # "Kaggle", "Hugging Face"
                label = re.search(rf"(?<![\w.])({words})$", before)
                if label is not None and site.startswith(label.group(1).lower().replace(" ", "")):
                    spans.append((gap.start() - len(label.group(1)), gap.start()))
                    break
    if "://" in text:  # "Github:// deedydas", "LinkedIn:// ana" (a CV template's link list), not a URL's scheme
        spans.extend(m.span(1) for m in _SCHEME_LIKE_LABEL.finditer(text))
    return spans


_SCHEME_LIKE_LABEL = re.compile(r"(?<![\w.])(?!(?:https?|ftp|file)://)([^\W\d_]\w*)://")


def is_name_line(line: str) -> bool:
    """A line that starts with what looks like a person's name ("Jane Doe", "JANE DOE | ML Engineer")."""
    return _name_in_line(line) is not None


# --------------------------------------------------------------------------- redacting


def _placeholder(kind: PiiKind, length: int) -> str:
    tag = TAGS[kind]
    if length >= len(tag):
        return tag + " " * (length - len(tag))
    if length >= 2:
        return "[" + tag[1 : length - 1] + "]"
    return "*" * length


def redact(text: str, pii: PersonalData | Iterable[PiiFinding], *, keep_offsets: bool = True) -> str:
    """``text`` with every finding replaced by its tag (``[EMAIL]``, ``[PHONE]``, ``[URL]``, ``[NAME]``).

    With ``keep_offsets`` (the default) each tag is padded or shortened to the length it replaces, so the
    redacted text has the same length and offsets as the original.

    Examples
    --------
    >>> text = "Jane Doe, jane@example.com"
    >>> redact(text, find_personal_data(text))
    '[NAME]  , [EMAIL]         '
    >>> redact(text, find_personal_data(text), keep_offsets=False)
    '[NAME], [EMAIL]'
    """
    findings = pii.findings if isinstance(pii, PersonalData) else tuple(pii)
    pieces: list[str] = []
    cursor = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < cursor:
            continue  # overlapping findings from a hand-made list: the first one wins
        pieces.append(text[cursor : f.start])
        if keep_offsets:
            pieces.append(_placeholder(f.kind, f.end - f.start))
        else:
            pieces.append(TAGS[f.kind])
        cursor = f.end
    pieces.append(text[cursor:])
    return "".join(pieces)
