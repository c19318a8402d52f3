"""Import of the list of seriously dishonest subjects (严重失信主体名单) from a CSV file.

All or nothing: a file with any bad row imports nothing and every bad row is reported with its
line number. Re-importing the same file changes nothing."""

import csv
import hashlib
import io
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import DishonestEntry, DishonestImport
from ..validators import validate_credit_code, validate_id_card_number

DEFAULT_LIST = "严重失信主体名单"

# header -> field; Chinese headers as published, English for machine exports
COLUMNS = {
    "number": "number", "号码": "number", "证件号码": "number", "统一社会信用代码/身份证号码": "number",
    "name": "name", "名称": "name", "姓名/名称": "name",
    "listed_on": "listed_on", "列入日期": "listed_on",
    "removed_on": "removed_on", "移出日期": "removed_on",
    "reason": "reason", "列入原因": "reason",
    "authority": "authority", "认定机关": "authority",
}
REQUIRED = ("number", "name", "listed_on")


class ImportRejected(Exception):
    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = errors
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        return [_("line %(line)d: %(reason)s") % {"line": line, "reason": reason} for line, reason in self.errors]


def _parse_date(value: str, column: str) -> date:
    try:
        return date.fromisoformat(value.strip().replace("/", "-"))
    except ValueError:
        raise ValidationError(
            _("%(column)s “%(value)s” is not a date (write it as 2026-05-24).") % {"column": column, "value": value}
        )


def _validate_number(value: str) -> str:
    """A person's ID card number or an organisation's credit code, whichever it is."""
    value = "".join(value.split()).upper()
    try:
        return validate_id_card_number(value)
    except ValidationError as id_error:
        try:
            return validate_credit_code(value)
        except ValidationError as code_error:
            # report against the rule the value was most likely meant for
            looks_like_id = value[:17].isdigit() and value[-1:] in "0123456789X"
            raise id_error if looks_like_id else code_error


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected([(1, _("the file is neither UTF-8 nor GB18030 text"))])


def parse_rows(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return [], [(1, _("the file is empty"))]
    mapping = {}
    for index, title in enumerate(header):
        key = COLUMNS.get(title.strip().lower()) or COLUMNS.get(title.strip())
        if key:
            mapping[index] = key
    missing = [c for c in REQUIRED if c not in mapping.values()]
    if missing:
        return [], [(1, _("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})]

    rows, errors, seen = [], [], {}
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        raw = {key: (cells[i].strip() if i < len(cells) else "") for i, key in mapping.items()}
        problems = []
        row = {"reason": raw.get("reason", ""), "authority": raw.get("authority", ""), "removed_on": None}
        try:
            row["number"] = _validate_number(raw["number"])
        except ValidationError as error:
            problems.extend(error.messages)
        if not raw["name"]:
            problems.append(_("the name is empty"))
        row["name"] = raw["name"]
        try:
            row["listed_on"] = _parse_date(raw["listed_on"], _("listing date"))
        except ValidationError as error:
            problems.extend(error.messages)
        if raw.get("removed_on"):
            try:
                row["removed_on"] = _parse_date(raw["removed_on"], _("removal date"))
            except ValidationError as error:
                problems.extend(error.messages)
        if not problems and row["removed_on"] and row["removed_on"] < row["listed_on"]:
            problems.append(_("the removal date is before the listing date"))
        if not problems:
            key = (row["number"], row["listed_on"])
            if key in seen:
                problems.append(_("the same subject and listing date already appear on line %(line)d") % {"line": seen[key]})
            seen[key] = line
        if problems:
            errors.append((line, "；".join(str(p) for p in problems)))
        else:
            rows.append(row)
    return rows, errors


@transaction.atomic
def dishonest_list_import(*, data: bytes, filename: str, list_name: str = DEFAULT_LIST, by=None) -> DishonestImport:
    """Import the whole file or nothing. Raises ImportRejected listing every bad row."""
    rows, errors = parse_rows(_decode(data))
    if errors:
        raise ImportRejected(errors)
    record = DishonestImport.objects.create(
        list_name=list_name, filename=filename, sha256=hashlib.sha256(data).hexdigest(), rows=len(rows), imported_by=by
    )
    existing = {
        (e.number, e.listed_on): e
        for e in DishonestEntry.objects.select_for_update().filter(
            list_name=list_name, number__in=[r["number"] for r in rows]
        )
    }
    created = updated = unchanged = 0
    editable = ("name", "reason", "authority", "removed_on")
    for row in rows:
        entry = existing.get((row["number"], row["listed_on"]))
        if entry is None:
            DishonestEntry.objects.create(list_name=list_name, source_import=record, **row)
            created += 1
        elif any(getattr(entry, f) != row[f] for f in editable):
            for f in editable:
                setattr(entry, f, row[f])
            entry.save(update_fields=list(editable))
            updated += 1
        else:
            unchanged += 1
    record.created, record.updated, record.unchanged = created, updated, unchanged
    record.save(update_fields=["created", "updated", "unchanged"])
    return record


def dishonest_entries_exist(number: str) -> bool:
    return DishonestEntry.objects.filter(number=number).exists()
