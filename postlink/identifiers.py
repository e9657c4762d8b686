"""The codes postlink joins records by: procedure, agency, dossier and postal item numbers.

Every code reaches us as text typed by people or copied from PDFs, spreadsheets and the post's
API, so each parser first normalises the text (``clean``), then matches the whole value against
the format its rule prescribes and returns a frozen value whose ``text`` is the one normal form.
Parsers raise ``IdentifierError`` (a ``ValueError``), typed: a catalogue code naming the
value and the expected form, worded by whoever shows it (issue 14 §1); ``find_*`` functions
look for the first code inside free text and return ``None`` when there is none.

Only the standard library and ``postlink.errors`` (itself standard library only) are used, so
every other module may depend on this one.
"""

from __future__ import annotations

import datetime
import operator
import re
import unicodedata
from dataclasses import dataclass

from postlink.errors import PostlinkError

__all__ = [
    "AgencyCode",
    "DossierCode",
    "IdentifierError",
    "ItemNumber",
    "ProcedureCode",
    "clean",
    "clean_value",
    "find_dossier_code",
    "find_procedure_code",
    "parse_agency_code",
    "parse_dossier_code",
    "parse_item_number",
    "parse_procedure_code",
    "s10_check_digit",
]


class IdentifierError(PostlinkError, ValueError):
    """A value is not a well-formed code: a catalogue code whose sentence names the value and
    the expected form. A ``PostlinkError``, so each presenter words it as it words the others
    (the CLI's one line, the console's form error, the API's code beside the sentence)."""


# Characters that look like (or hide next to) a space in Word, Excel and PDF exports.
_SPACE_LIKE = str.maketrans(dict.fromkeys("\u00a0\u2007\u202f\u200b\ufeff", " "))


def clean(text: str) -> str:
    """Normalise text from files or the post: NFC, space-like characters, collapsed whitespace.

    Vietnamese text arrives both precomposed and decomposed (NFD, e.g. from macOS), and codes
    copied from documents carry non-breaking or zero-width spaces; without this the same code or
    name would compare unequal to itself.

    Cleaning dominates the cost of reading a postal feed page, so a clean value is returned as
    it is: a printable string holds no whitespace but the ASCII space (tabs, newlines and the
    space-like characters above are separators or format characters, not printable), so it is
    clean when no space is doubled or at either end and it is in NFC already.
    """
    if (  # nearly every value is clean already: find that out without copying it
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text
    return " ".join(unicodedata.normalize("NFC", text).translate(_SPACE_LIKE).split())


def clean_value(value: object) -> str:
    """A decoded JSON value as cleaned text: None is empty, numbers are written out."""
    return "" if value is None else clean(value if value.__class__ is str else str(value))


def _compact(value: str) -> str:
    """Clean ``value`` and drop all spaces: codes contain none, but typed ones often do."""
    return clean(value).replace(" ", "")


#: The letters that open a level-1 agency code. QCVN 102:2016/BTTTT (and QĐ 20/2020/QĐ-TTg,
#: which keeps its level-1 codes) gives the level-1 code one letter for the kind of agency
#: and two digits: ``G`` for ministries, ministry-level and government agencies
#: (``000.00.00.G01``), ``H`` for provinces and centrally-run cities (``000.00.00.H14``, Cao
#: Bằng; domain.md §3). Procedures reach a one-stop office from one of these two kinds only,
#: so any other letter (an ``O`` typed for a zero, an ``I`` for a one, a stray ``X``) is a
#: mistyped code, refused rather than stored as a new agency.
AGENCY_LETTERS = "GH"
_LETTER = f"[{AGENCY_LETTERS}{AGENCY_LETTERS.lower()}]"
# Explicit ASCII classes: ``\d`` would accept other scripts' digits, and IGNORECASE would let
# look-alikes such as the long s (U+017F) or the Kelvin sign (U+212A) pass as letters.
_AGENCY = (
    rf"(?:[0-9]{{3}}\.[0-9]{{2}}\.[0-9]{{2}}\.{_LETTER}[0-9]{{2}}"  # QCVN 102:2016, right to left
    rf"|{_LETTER}[0-9]{{2}}(?:\.[0-9]{{1,3}}){{0,3}})"  # QĐ 20/2020, left to right
)
# A localised code may carry a variant too: ``2.000815.000.00.00.H55.02`` (agency, then the
# variant). After a left-to-right agency code (``H14.12``) trailing numbers are its own levels.
_PROCEDURE = (
    rf"(?P<base>[0-9]\.[0-9]{{6}})(?:\.(?P<agency>{_AGENCY}))?(?:\.(?P<suffix>[0-9]{{1,3}}))?"
)
_DOSSIER = rf"(?P<unit>{_AGENCY})-(?P<received>[0-9]{{6}})-(?P<sequence>[0-9]{{4}})"

_AGENCY_RE = re.compile(_AGENCY)
_PROCEDURE_RE = re.compile(_PROCEDURE)
_DOSSIER_RE = re.compile(_DOSSIER)
_ITEM_RE = re.compile(r"[A-Za-z]{2}(?P<serial>[0-9]{8})(?P<check>[0-9])[A-Za-z]{2}")

# In free text a code must stand alone: not preceded by a letter, digit or dot (which would make
# it the tail of a longer number or code) and not followed by one (or by a dot and one).
_ALONE_BEFORE = r"(?<![\w.])"
_ALONE_AFTER = r"(?!\w|\.\w)"
_PROCEDURE_IN_TEXT = re.compile(_ALONE_BEFORE + _PROCEDURE + _ALONE_AFTER)
_DOSSIER_IN_TEXT = re.compile(_ALONE_BEFORE + _DOSSIER + _ALONE_AFTER)


def _is_normal(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``text`` is a whole match of ``pattern`` and already upper-case."""
    return pattern.fullmatch(text) is not None and text == text.upper()


# --- Agency codes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyCode:
    """An agency (unit) code in either national form, upper-case.

    QCVN 102:2016 writes levels right to left, ``000.00.12.H14`` (level 1 last); QĐ 20/2020
    writes them left to right, ``H14.12``. Both are in use, so both are kept as written.
    """

    text: str

    def __post_init__(self) -> None:
        if not _is_normal(_AGENCY_RE, self.text):
            raise IdentifierError(code="identifier.not_normal", value=self.text, example="H14.12")

    @property
    def province(self) -> str | None:
        """The level-1 code when it is a province (QCVN 102:2016: letter H), e.g. ``H14``.

        ``None`` for central agencies, whose level-1 code has another letter (e.g. G for
        ministries).
        """
        segments = self.text.split(".")
        level1 = segments[-1] if segments[0].isdigit() else segments[0]
        return level1 if level1.startswith("H") else None

    def __str__(self) -> str:
        return self.text


def parse_agency_code(value: str) -> AgencyCode:
    """Parse an agency code in the QCVN 102:2016 or QĐ 20/2020 form; letters are upper-cased.

    The level-1 letter must be one the scheme uses (``AGENCY_LETTERS``: G or H)."""
    text = _compact(value)
    if _AGENCY_RE.fullmatch(text) is None:
        raise IdentifierError(code="identifier.agency", value=value)
    return AgencyCode(text.upper())


# --- Procedure codes ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProcedureCode:
    """A procedure code (mã TTHC) of the national database of administrative procedures.

    The base is ``d.dddddd``; a variant appends a 1-3 digit suffix (``1.001193.02``), a
    provincial localisation appends the agency code (``2.000815.000.00.00.H55``), and a
    localised variant has both, agency first (``2.000815.000.00.00.H55.02``). The codes are
    otherwise opaque: nothing is inferred from their digits.
    """

    base: str
    suffix: str | None = None
    agency: str | None = None

    def __post_init__(self) -> None:
        match = _PROCEDURE_RE.fullmatch(self.text)
        parts = (self.base, self.suffix, self.agency)
        fields = None if match is None else match.group("base", "suffix", "agency")
        if fields != parts or self.text != self.text.upper():
            raise IdentifierError(code="identifier.not_normal", value=self.text, example="1.001193")

    @property
    def text(self) -> str:
        """The normal form: base, then ``.agency`` and ``.suffix`` when present."""
        return ".".join(part for part in (self.base, self.agency, self.suffix) if part is not None)

    def __str__(self) -> str:
        return self.text


def _procedure_from(match: re.Match[str]) -> ProcedureCode:
    agency = match.group("agency")
    return ProcedureCode(
        base=match.group("base"),
        suffix=match.group("suffix"),
        agency=agency.upper() if agency is not None else None,
    )


def parse_procedure_code(value: str) -> ProcedureCode:
    """Parse a whole value as a procedure code; spaces typed inside it (``1. 001193``) are dropped.

    Raises ``IdentifierError`` when anything else remains, so a catalog row cannot silently
    carry a truncated code such as ``1.00119``.
    """
    match = _PROCEDURE_RE.fullmatch(_compact(value))
    if match is None:
        raise IdentifierError(code="procedure.code", value=value)
    return _procedure_from(match)


def canonical_procedure_code(value: str) -> str:
    """The national base of a procedure code (``2.000815.000.00.00.H14`` → ``2.000815``).

    Lists, matching and reports key procedures by their base (a variant or a province's
    localisation is the same procedure, issue 16); a value that is not a procedure code is
    returned as it came, so that the match can still call it invalid.
    """
    try:
        return parse_procedure_code(value).base
    except IdentifierError:
        return value


def find_procedure_code(text: str) -> ProcedureCode | None:
    """The first procedure code standing alone in free text, e.g. ``TTHC 1.001193: Đăng ký``.

    Orders created by others carry the procedure anywhere in ``contentNote`` (postal-api.md);
    digits that are part of a longer number or code are not taken for one.
    """
    match = _PROCEDURE_IN_TEXT.search(clean(text))
    return _procedure_from(match) if match is not None else None


# --- Dossier codes ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DossierCode:
    """A dossier code (mã hồ sơ), TT 01/2018/TT-VPCP art. 19: unit, receipt date, sequence.

    ``000.00.12.H14-250715-0007`` is the 7th dossier received by unit ``000.00.12.H14`` on
    15 July 2025. It is also our postal order reference, so its text form must be stable.
    """

    unit: AgencyCode
    received: datetime.date
    sequence: int

    def __post_init__(self) -> None:
        if not 2000 <= self.received.year <= 2099:
            raise IdentifierError(code="identifier.dossier_year", year=self.received.year)
        if not 1 <= self.sequence <= 9999:
            raise IdentifierError(code="identifier.dossier_sequence", sequence=self.sequence)

    @property
    def text(self) -> str:
        """The normal form ``<unit>-YYMMDD-NNNN``."""
        day = self.received  # by hand: strftime costs as much as finding the code did
        return "%s-%02d%02d%02d-%04d" % (  # noqa: UP031 (twice as fast as an f-string here)
            self.unit.text,
            day.year % 100,
            day.month,
            day.day,
            self.sequence,
        )

    def __str__(self) -> str:
        return self.text


def _dossier_from(value: str, match: re.Match[str]) -> DossierCode:
    """Build a dossier code, rejecting dates that do not exist and the unused sequence 0000."""
    digits = match.group("received")
    try:
        received = datetime.date(2000 + int(digits[:2]), int(digits[2:4]), int(digits[4:]))
    except ValueError:
        raise IdentifierError(code="identifier.dossier_date", value=value, digits=digits) from None
    sequence = int(match.group("sequence"))
    if sequence == 0:
        raise IdentifierError(code="identifier.dossier_zero", value=value)
    return DossierCode(AgencyCode(match.group("unit").upper()), received, sequence)


def parse_dossier_code(value: str) -> DossierCode:
    """Parse a whole value as a dossier code (TT 01/2018/TT-VPCP art. 19).

    The unit may be in either agency form (``000.00.12.H14`` or ``H14.12``); the date must be a
    real calendar date in 20YY and the sequence runs from 0001.
    """
    match = _DOSSIER_RE.fullmatch(_compact(value))
    if match is None:
        raise IdentifierError(code="api.dossier_code", value=value)
    return _dossier_from(value, match)


def find_dossier_code(text: str) -> DossierCode | None:
    """The first valid dossier code in free text, e.g. ``000.00.12.H14-250715-0007-P1``.

    Our ``saleOrderCode`` is the dossier code plus a leg suffix (postal-api.md), and others put
    the code anywhere; candidates with an impossible date or sequence are skipped.
    """
    cleaned = clean(text)
    for match in _DOSSIER_IN_TEXT.finditer(cleaned):
        try:
            return _dossier_from(cleaned, match)
        except IdentifierError:
            continue
    return None


# --- UPU S10 item numbers -----------------------------------------------------------------------

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_SERIAL_RE = re.compile(r"[0-9]{8}")


def s10_check_digit(serial: str) -> int:
    """The UPU S10 check digit of an 8-digit serial number.

    S = sum of the digits weighted 8, 6, 4, 2, 3, 5, 9, 7; C = 11 - (S mod 11), where 10
    becomes 0 and 11 becomes 5.
    """
    if _SERIAL_RE.fullmatch(serial) is None:
        raise IdentifierError(code="identifier.serial", value=serial)
    return _s10(serial)


def _s10(serial: str) -> int:
    """The check digit of a serial already known to be 8 ASCII digits."""
    # Weighting the ASCII codes and taking off 48 ("0") times the weights' sum (44) spares
    # eight int() calls; item numbers are checked once per order read from the post.
    check = 11 - (sum(map(operator.mul, _S10_WEIGHTS, serial.encode())) - 48 * 44) % 11
    return 0 if check == 10 else 5 if check == 11 else check


@dataclass(frozen=True, slots=True)
class ItemNumber:
    """A postal item (waybill) number, mã bưu gửi, in the UPU S10 form, e.g. ``EB123456785VN``.

    ``check_digit_ok`` is a warning flag rather than a reason to reject: VNPost's own published
    examples do not always pass the check, and refusing a real item would lose its tracking.
    """

    text: str
    check_digit_ok: bool

    def __post_init__(self) -> None:
        if not _is_normal(_ITEM_RE, self.text):
            raise IdentifierError(
                code="identifier.not_normal", value=self.text, example="EB123456785VN"
            )


def parse_item_number(value: str) -> ItemNumber:
    """Parse an S10 item number: 2 letters, 8 digits, check digit, 2 letters; spaces dropped."""
    text = value
    match = _ITEM_RE.fullmatch(text)  # a well-formed value needs no cleaning: it has no spaces
    if match is None:
        text = _compact(value)
        match = _ITEM_RE.fullmatch(text)
    if match is None:
        raise IdentifierError(code="identifier.item", value=value)
    ok = _s10(match.group("serial")) == int(match.group("check"))
    return ItemNumber(text.upper(), check_digit_ok=ok)
