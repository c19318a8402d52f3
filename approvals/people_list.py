"""The list of persons a packaged commitment covers, as the organisation brings it: ID card numbers pasted one
per line, or a CSV file (columns 身份证号码 or number, and optionally 姓名 or name), e.g. exported from Excel.

Parsing only: each number is checked (GB 11643) and looked up among the registered persons; what cannot be
used is reported line by line. Whether the persons may be packaged is for the service to decide."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .selectors import persons_by_number
from .validators import validate_id_card_number

NUMBER_COLUMNS = ("身份证号码", "身份证号", "公民身份号码", "number", "id_number", "id card number")
NAME_COLUMNS = ("姓名", "name")
MAX_REPORTED = 50  # problems listed one by one; beyond that, counted


@dataclass
class Listed:
    where: str  # "line 3" of the pasted list, "CSV line 3" of the file
    number: str
    name: str = ""


@dataclass
class PeopleList:
    person_ids: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # lines that cannot be used, each saying why
    unknown: list[str] = field(default_factory=list)  # valid numbers of persons not registered
    duplicates: int = 0  # numbers listed more than once (counted once)

    def messages(self) -> list[str]:
        messages = self.problems[:MAX_REPORTED]
        if len(self.problems) > MAX_REPORTED:
            more = len(self.problems) - MAX_REPORTED
            messages.append(_("… and %(count)d more lines with problems.") % {"count": more})
        if self.unknown:
            messages.append(_("Not registered (%(count)d): %(numbers)s. Every person in a package must first be "
                              "registered as a subject.")
                            % {"count": len(self.unknown), "numbers": "、".join(self.unknown[:MAX_REPORTED])
                               + ("…" if len(self.unknown) > MAX_REPORTED else "")})
        return messages


def _cell(value) -> str:
    # Excel keeps long numbers as text behind a leading apostrophe or tab
    return "".join(str(value or "").split()).lstrip("'").upper()


def from_text(text: str) -> tuple[list[Listed], list[str]]:
    """One number per line (a name after it, separated by a comma, tab or space, is allowed and checked)."""
    listed = []
    for n, raw in enumerate((text or "").splitlines(), start=1):
        parts = [p for p in raw.replace("，", ",").replace("\t", ",").replace(" ", ",").split(",") if p.strip()]
        if parts:
            listed.append(Listed(where=_("line %(line)d") % {"line": n}, number=_cell(parts[0]),
                                 name=" ".join(p.strip() for p in parts[1:])))
    return listed, []


def _decode(data: bytes) -> str | None:
    for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK unless told otherwise
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def from_csv(data: bytes) -> tuple[list[Listed], list[str]]:
    text = _decode(data)
    if text is None:
        return [], [_("The file could not be read as CSV text (UTF-8 or GB18030).")]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().lower() for h in next(rows, [])]
    number_at = next((header.index(c) for c in NUMBER_COLUMNS if c in header), None)
    name_at = next((header.index(c) for c in NAME_COLUMNS if c in header), None)
    if number_at is None:
        return [], [_("The CSV file needs a column headed 身份证号码 (or number), and may have one headed 姓名 (or name).")]
    listed = []
    for n, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        number = _cell(row[number_at]) if number_at < len(row) else ""
        name = row[name_at].strip() if name_at is not None and name_at < len(row) else ""
        listed.append(Listed(where=_("CSV line %(line)d") % {"line": n}, number=number, name=name))
    return listed, []


def resolve(listed: list[Listed], problems: list[str] | None = None) -> PeopleList:
    """Check each number, find the registered person, and check the name where one is given."""
    result = PeopleList(problems=list(problems or []))
    valid: list[Listed] = []
    for entry in listed:
        try:
            entry.number = validate_id_card_number(entry.number)
        except ValidationError as error:
            result.problems.append(_("%(where)s: “%(value)s”: %(why)s") % {
                "where": entry.where, "value": entry.number or "—", "why": " ".join(error.messages)})
            continue
        valid.append(entry)
    found = persons_by_number([e.number for e in valid])
    seen = set()
    for entry in valid:
        person = found.get(entry.number)
        if person is None:
            if entry.number not in result.unknown:
                result.unknown.append(entry.number)
        elif entry.name and entry.name != person.name:
            # the registered name is not shown: the list may come from outside the authority
            result.problems.append(
                _("%(where)s: the name “%(name)s” does not match the person registered under %(number)s.")
                % {"where": entry.where, "name": entry.name, "number": entry.number})
        elif person.pk in seen:
            result.duplicates += 1
        else:
            seen.add(person.pk)
            result.person_ids.append(person.pk)
    return result


def read_people(*, text: str = "", upload=None) -> PeopleList:
    """The persons from pasted numbers and/or an uploaded CSV file."""
    listed, problems = from_text(text)
    if upload is not None:
        in_file, file_problems = from_csv(upload.read())
        listed += in_file
        problems += file_problems
    return resolve(listed, problems)
