"""The seriously-dishonest list import is all or nothing, reports every bad row, and is idempotent."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from approvals.models import DishonestEntry, DishonestImport
from approvals.selectors import dishonest_entries
from approvals.services import ImportRejected, dishonest_list_import

pytestmark = pytest.mark.django_db

GOOD = (
    "号码,名称,列入日期,列入原因,认定机关\n"
    "11010519491231002X,张某,2026-01-05,拒不履行法院判决,北京市朝阳区人民法院\n"
    "91110000600037341L,某某科技有限公司,2026-03-01,虚假承诺,市场监督管理局\n"
)


def test_a_good_file_imports_every_row():
    record = dishonest_list_import(data=GOOD.encode(), filename="list.csv")
    assert (record.rows, record.created, record.unchanged) == (2, 2, 0)
    assert DishonestEntry.objects.count() == 2
    assert len(dishonest_entries("11010519491231002X")) == 1


def test_reimporting_the_same_file_changes_nothing():
    dishonest_list_import(data=GOOD.encode(), filename="list.csv")
    before = list(DishonestEntry.objects.values())
    record = dishonest_list_import(data=GOOD.encode(), filename="list.csv")
    assert (record.created, record.updated, record.unchanged) == (0, 0, 2)
    assert list(DishonestEntry.objects.values()) == before


def test_a_file_with_bad_rows_imports_nothing_and_names_each_bad_line():
    bad = GOOD + (
        "110105194912310021,李某,2026-02-01,理由,法院\n"   # line 4: bad check digit
        ",王某,2026-02-01,理由,法院\n"                     # line 5: no number
        "91110000600037341L,,2026-13-01,理由,法院\n"        # line 6: no name, bad date
    )
    with pytest.raises(ImportRejected) as raised:
        dishonest_list_import(data=bad.encode(), filename="bad.csv")
    assert [line for line, _ in raised.value.errors] == [4, 5, 6]
    assert "校验" in raised.value.errors[0][1]
    assert DishonestEntry.objects.count() == 0
    assert DishonestImport.objects.count() == 0


def test_a_later_removal_date_updates_the_entry():
    dishonest_list_import(data=GOOD.encode(), filename="list.csv")
    removed = GOOD.replace("列入原因,认定机关", "列入原因,认定机关,移出日期").replace(
        "北京市朝阳区人民法院\n", "北京市朝阳区人民法院,2026-06-01\n"
    ).replace("市场监督管理局\n", "市场监督管理局,\n")
    record = dishonest_list_import(data=removed.encode(), filename="list2.csv")
    assert (record.created, record.updated, record.unchanged) == (0, 1, 1)
    assert str(DishonestEntry.objects.get(number="11010519491231002X").removed_on) == "2026-06-01"


def test_gb18030_files_from_older_systems_import():
    record = dishonest_list_import(data=GOOD.encode("gb18030"), filename="list.csv")
    assert record.created == 2
    assert DishonestEntry.objects.filter(name="张某").exists()


def test_the_command_reports_bad_rows_and_fails(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("号码,名称,列入日期\nnot-a-number,某,2026-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("import_dishonest", str(path))
    assert DishonestEntry.objects.count() == 0
