"""The one detector of personal contacts (e-mail addresses, phone numbers) in published text.

Used where a person-bearing record leaves its parser (crawl and ``spiders.parse``) to remove
them, and again by the release's blocking check to make sure none got through.

- E-mails: plain (``a.b@x.fr``, also with spaces around ``@``) and obfuscated
  (``a.b [at] x [dot] fr``, ``a.b(at)x.fr``, ``a.b arobase x point fr``, ``{at}``, ``[@]``).
- Phones: ``phonenumbers``' matcher (region FR, leniency POSSIBLE), which reads French and
  international spellings (``06 12 34 56 78``, ``06.12.34.56.78``, ``+33 6 …``, ``+33 (0)6 …``,
  ``0033 6 …``, ``+44 20 …``). Three additions: French numbers written with one separator
  throughout (also ``06/12/34/56/78``, which the matcher takes for a date) are read first by a
  pattern, so two side by side stay two; ``/`` between digits reads as a space for the
  matcher; and a match counts only when it is written the way a phone number is, with ``+``,
  ``00`` or a French trunk ``0[1-9]`` in front, nine national digits for France, and no letter
  or digit glued to either end: a SIREN ``123456789``, a date, a year range or an identifier
  is not a phone.

:func:`scrub` removes what it finds together with a label left dangling before it
(``Tél. :``, ``e-mail``, ``mobile``…) and tidies the punctuation left behind, so
``Présidente (v.hamel@orange.fr, 07 81 23 45 67)`` becomes ``Présidente``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from phonenumbers import Leniency, PhoneNumberMatcher

from common.issues import WARNING, Issue

EMAIL_KIND, PHONE_KIND = "email", "phone"

_OPEN, _CLOSE = r"[\[\(\{<]", r"[\]\)\}>]"
_AT = rf"(?:\s*@\s*|\s*{_OPEN}\s*(?:at|@|arobase|chez)\s*{_CLOSE}\s*|\s+(?:arobase|at)\s+)"
_DOT = rf"(?:\.|\s*{_OPEN}\s*(?:dot|point|\.)\s*{_CLOSE}\s*|\s+(?:dot|point)\s+)"
EMAIL = re.compile(
    rf"(?<![\w.+-])[\w][\w.+%-]*{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}(?![\w@])",
    re.IGNORECASE,
)
# A bare " at " between words is English prose unless the domain has a dot written as such.
_BARE_AT = re.compile(r"\s+at\s+", re.IGNORECASE)

_PHONE_START = re.compile(r"(?:\+|00|0[1-9])")
_DIGIT_SLASH = re.compile(r"(?<=\d)/(?=\d)")

# Labels a contact is announced by; removed with it when nothing else stands between them.
_LABEL = re.compile(
    r"(?:\b(?:t[ée]l[ée]?phone|t[ée]l|tel|mobile|portable|port|mob|gsm|fax|e-?mail|courriel|m[ée]l|mail|contact)"
    r"\s*\.?\s*(?:perso(?:nnel)?\s*)?[:.]?\s*)$",
    re.IGNORECASE,
)


def find_emails(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in EMAIL.finditer(text):
        at = _BARE_AT.search(m.group())
        if at and "@" not in m.group() and not re.search(r"\.[a-z]", m.group()[at.end() :], re.IGNORECASE):
            continue  # "meet at home point fr": no address
        spans.append(m.span())
    return spans


# No phone number has fewer than six digits in a row of phone punctuation: skip the matcher.
_SIX_DIGITS = re.compile(r"(?:\d[\s./()\-\u00a0\u202f]{0,3}){6}")


# French numbers in their own spellings, read first: two of them side by side
# ("01 23 45 67 89 06 12 34 56 78") would be one over-long candidate to the matcher.
# One separator throughout, as a number is written ("03/2024 2019" is a date and a year).
_SEP = r"[\s.\-/\u00a0\u202f]?"
_FRENCH = re.compile(
    rf"(?<![\w+/.])(?:(?:\+|00)33{_SEP}(?:\(0\){_SEP})?|0)[1-9](?P<sep>{_SEP})\d\d(?:(?P=sep)\d\d){{3}}(?![\w/])"
)


def find_phones(text: str) -> list[tuple[int, int]]:
    if not _SIX_DIGITS.search(text):
        return []
    spans = [m.span() for m in _FRENCH.finditer(text)]
    probe = _DIGIT_SLASH.sub(" ", text)  # same length: spans stay valid in ``text``
    for s, e in spans:
        probe = probe[:s] + " " * (e - s) + probe[e:]
    for m in PhoneNumberMatcher(probe, "FR", leniency=Leniency.POSSIBLE):
        start, end, raw = m.start, m.end, m.raw_string
        for opening, closing in ("()", "[]"):  # "(06 98 …)": an unbalanced bracket is the text's
            if raw.startswith(opening) and raw.count(opening) > raw.count(closing):
                start, raw = start + 1, raw[1:]
            if raw.endswith(closing) and raw.count(closing) > raw.count(opening):
                end, raw = end - 1, raw[:-1]
        if m.number.country_code == 33 and len(str(m.number.national_number)) != 9:
            continue  # "n° 0290 31320": two numbers side by side, not a French phone
        if not _PHONE_START.match(raw.lstrip("(")):
            continue
        if (start > 0 and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue
        spans.append((start, end))
    return sorted(spans)


def find(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, kind)`` of every contact in ``text``, in order, without overlaps."""
    if not text or not isinstance(text, str):
        return []
    found = [(s, e, EMAIL_KIND) for s, e in find_emails(text)]
    masked = text
    for s, e, _ in found:  # an address's digits are not a phone number
        masked = masked[:s] + " " * (e - s) + masked[e:]
    found += [(s, e, PHONE_KIND) for s, e in find_phones(masked)]
    return sorted(found)


def kinds_in(text: str) -> list[str]:
    """The kinds of contact in ``text``, e.g. ``["email", "phone"]`` (empty when none)."""
    return sorted({kind for _, _, kind in find(text)})


def _tidy(text: str) -> str:
    previous = None
    while previous != text:
        previous = text
        text = re.sub(r"[ \t\u00a0]+", " ", text)
        text = re.sub(r"\s+([,;.)\]])", r"\1", text)
        text = re.sub(r"([(\[])\s+", r"\1", text)
        text = re.sub(r"([(\[])\s*(?:[,;/\-–]|\bet\b|\bou\b|\band\b|\bor\b)\s*", r"\1", text)
        text = re.sub(r"\s*(?:[,;/\-–]|\bet\b|\bou\b|\band\b|\bor\b)\s*([)\]])", r"\1", text)
        text = re.sub(r"\(\)|\[\]|\{\}", "", text)
        text = re.sub(r"[,;]+\s*([.)\]])", r"\1", text)
        text = re.sub(r"([,;])(?:\s*[,;])+", r"\1", text)
        text = re.sub(r"(\s[-–/])(?:\s+[-–/])+(?=\s)", r"\1", text)
        text = re.sub(r"^(?:[\s,;:/\-–]|\b(?:et|ou|and|or)\b)+|(?:[\s,;:/\-–]|\b(?:et|ou|and|or)\b)+$", "", text)
    return text


def scrub(text: str) -> tuple[str, list[str]]:
    """``(text without its contacts, kinds removed)``; ``text`` unchanged when it holds none."""
    spans = find(text)
    if not spans:
        return text, []
    out, last = [], 0
    for start, end, _ in spans:
        before = text[last:start]
        label = _LABEL.search(before)
        out.append(before[: label.start()] if label else before)
        out.append(" ")
        last = end
    out.append(text[last:])
    return _tidy("".join(out)), sorted({kind for _, _, kind in spans})


def _is_url_field(name: str) -> bool:
    return name == "url" or name.endswith("_url")


def contact_removed(source: str, url: str, field: str, kinds: list[str]) -> Issue:
    """The issue-log warning for a removal: names the field, never the removed value."""
    return Issue(
        source,
        url,
        field,
        "personal_contact_removed",
        f"removed a personal {' and '.join(kinds)} from {field}; the rest of the value is kept",
        WARNING,
        context={"kinds": list(kinds)},
    )


def scrub_record(
    source: str, url: str, record: dict, fields: Iterable[str] | None = None, keep: Iterable[str] = (), path: str = ""
) -> tuple[dict, list[Issue]]:
    """``record`` with every contact removed from its text fields, and one warning per field.

    Every text value is scrubbed, in lists and nested records too (``officers.company``);
    ``fields`` limits it to those top-level fields, ``keep`` exempts fields (an organisation's
    own contact), and URL fields are left alone. A text left empty becomes None, a list
    element left empty is dropped. ``path`` prefixes the field names in the warnings
    (``"officers."``). The warning names the source, URL and field, never the removed value."""
    issues: list[Issue] = []
    keep = set(keep)

    def clean(value, path: str):
        if isinstance(value, str):
            cleaned, kinds = scrub(value)
            if kinds:
                issues.append(contact_removed(source, url, path, kinds))
            return cleaned if cleaned or not kinds else None
        if isinstance(value, list):
            out = [clean(v, path) for v in value]
            return [v for v, old in zip(out, value) if not (isinstance(old, str) and v is None)]
        if isinstance(value, dict):
            return {k: v if k in keep or _is_url_field(k) else clean(v, f"{path}.{k}") for k, v in value.items()}
        return value

    wanted = set(fields) if fields is not None else None
    result = {}
    for key, value in record.items():
        if key in keep or _is_url_field(key) or (wanted is not None and key not in wanted):
            result[key] = value
        else:
            result[key] = clean(value, path + key)
    # One warning per (field, kinds): officers' fields repeat per officer.
    unique = {(i.field, tuple(i.context["kinds"])): i for i in issues}
    return result, list(unique.values())
