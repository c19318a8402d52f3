"""Each figure against a hand count over the world of tests/supervision/world.py, and each drill-down lists
exactly the records its figure counts (by the selectors and through the pages)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from approvals.models import Application, CreditCheck
from approvals.services import application_choose_standard, application_reject
from sanctions.models import Restriction
from supervision import pages, selectors
from supervision.models import ApplicationFigure, DecisionTime
from supervision.selectors import Filters
from supervision.services import applications_refresh, summaries_refresh
from tests.supervision.world import GH_DEPARTMENT, WS_DEPARTMENT, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = build()
    summaries_refresh()
    return w


def period(w, **kwargs):
    return Filters(start=w.friday - timedelta(days=1), end=timezone.localdate(), **kwargs)


def ids(w, *numbers):
    return {w.apps[n].pk for n in numbers}


def drilled(name, f, key=""):
    return set(selectors.records(name, f, key).rows.values_list("pk", flat=True))


# figure -> (value, the applications it counts), by hand from the world's story
EVERYTHING = {
    "received": (8, (1, 2, 3, 4, 5, 6, 7, 8)), "finished": (5, (1, 2, 3, 4, 5)), "on_the_spot": (3, (1, 2, 3)),
    "same_day": (4, (1, 2, 3, 5)), "within_limit": (5, (1, 2, 3, 4, 5)), "lenient": (2, (2, 3)),
    "supplements_complete": (1, (2,)), "entitlement_changed": (1, (6,)), "measured": (5, (1, 2, 3, 4, 5)),
}
WS_ONLY = {
    "received": (5, (1, 2, 3, 6, 7)), "finished": (3, (1, 2, 3)), "on_the_spot": (3, (1, 2, 3)),
    "same_day": (3, (1, 2, 3)), "within_limit": (3, (1, 2, 3)), "lenient": (2, (2, 3)),
    "supplements_complete": (1, (2,)), "entitlement_changed": (1, (6,)), "measured": (3, (1, 2, 3)),
}
GH_ONLY = {
    "received": (4, (2, 4, 5, 8)), "finished": (3, (2, 4, 5)), "on_the_spot": (1, (2,)), "same_day": (2, (2, 5)),
    "within_limit": (3, (2, 4, 5)), "lenient": (1, (2,)), "supplements_complete": (1, (2,)),
    "entitlement_changed": (0, ()), "measured": (3, (2, 4, 5)),
}
COUNTER = {
    "received": (4, (2, 3, 4, 7)), "finished": (3, (2, 3, 4)), "on_the_spot": (2, (2, 3)), "same_day": (2, (2, 3)),
    "within_limit": (3, (2, 3, 4)), "lenient": (2, (2, 3)), "supplements_complete": (1, (2,)),
    "entitlement_changed": (0, ()), "measured": (3, (2, 3, 4)),
}


def check_application_figures(w, f, expected, checks, median, p90, modes):
    summary = selectors.application_summary(f)
    for name, (value, numbers) in expected.items():
        figure = summary[name] if name != "measured" else summary["measured"]
        assert figure == value, name
        assert drilled(name, f) == ids(w, *numbers), name
    assert summary["credit_checks"] == checks
    drill = selectors.records("credit_checks", f).rows
    assert drill.count() == checks
    assert set(drill.values_list("pk", flat=True)) == set(
        CreditCheck.objects.filter(application__in=[w.apps[n] for n in expected["received"][1]])
        .values_list("pk", flat=True))
    assert (summary["median_minutes"], summary["p90_minutes"]) == (median, p90)
    got = {key: n for key, _label, n, _share in summary["modes"]}
    for key, numbers in modes.items():
        assert got[key] == len(numbers), key
        assert drilled("mode", f, key) == ids(w, *numbers), key


def test_application_figures_match_the_hand_count_and_their_drill_downs(world):
    w = world
    # 25, 60, 10, 3960, 45 working minutes: nearest-rank median 45, 90th percentile 3960
    check_application_figures(w, period(w), EVERYTHING, checks=2 + 2 + 2 + 2 + 1 + 2 + 1 + 1, median=45, p90=3960,
                              modes={"commitment": (1, 6, 7), "lenient": (2, 3), "standard": (4, 5), "": (8,),
                                     "green": ()})
    check_application_figures(w, period(w, department=WS_DEPARTMENT), WS_ONLY, checks=9, median=25, p90=60,
                              modes={"commitment": (1, 6, 7), "lenient": (2, 3), "standard": ()})
    check_application_figures(w, period(w, matter_id=w.ws.matter_id), WS_ONLY, checks=9, median=25, p90=60,
                              modes={"commitment": (1, 6, 7)})
    check_application_figures(w, period(w, matter_id=w.gh.matter_id), GH_ONLY, checks=6, median=60, p90=3960,
                              modes={"lenient": (2,), "standard": (4, 5), "": (8,)})
    check_application_figures(w, period(w, department=GH_DEPARTMENT), GH_ONLY, checks=6, median=60, p90=3960,
                              modes={"commitment": ()})
    check_application_figures(w, period(w, channel="counter"), COUNTER, checks=7, median=60, p90=3960,
                              modes={"commitment": (7,), "lenient": (2, 3), "standard": (4,)})
    # the matter filter with another department's name counts nothing
    assert selectors.application_summary(period(w, matter_id=w.ws.matter_id, department=GH_DEPARTMENT))[
        "received"] == 0
    monday = Filters(start=w.friday + timedelta(days=3), end=w.friday + timedelta(days=3))
    assert selectors.application_summary(monday)["received"] == 4 and drilled("received", monday) == ids(w, 5, 6, 7, 8)
    assert selectors.application_summary(monday)["finished"] == 1


def test_breakdowns_by_department_matter_and_channel(world):
    w = world
    f = period(w)
    by_department = {row["key"]: row for row in selectors.by_dimension(f, "department")}
    assert {k: r["received"] for k, r in by_department.items()} == {WS_DEPARTMENT: 5, GH_DEPARTMENT: 4}
    assert by_department[GH_DEPARTMENT]["on_the_spot"] == 1 and by_department[WS_DEPARTMENT]["on_the_spot"] == 3
    by_matter = {row["key"]: row for row in selectors.by_dimension(f, "matter")}
    assert {k: r["received"] for k, r in by_matter.items()} == {w.ws.matter_id: 5, w.gh.matter_id: 4}
    by_channel = {row["key"]: row for row in selectors.by_dimension(f, "channel")}
    assert {k: (r["received"], r["finished"]) for k, r in by_channel.items()} == {"counter": (4, 3),
                                                                                 "online": (4, 2)}
    for rows in (by_department, by_matter, by_channel):  # each row's drill-down is the same count
        for row in rows.values():
            assert selectors.records("received", row["filters"]).rows.count() == row["received"]


def test_verification_figures(world):
    w = world
    summary = selectors.verification_summary(period(w))
    states = {key: n for key, _label, n in summary["states"]}
    assert states == {"due": 1, "assigned": 1, "not_selected": 0, "compliant": 1, "non_compliant": 1}
    assert (summary["due"], summary["done"], summary["compliant"]) == (4, 2, 1)
    assert summary["coverage"] == 0.5 and summary["compliance"] == 0.5
    f = period(w)
    assert selectors.records("obligations_due", f).rows.count() == 4
    assert set(selectors.records("obligations_done", f).rows.values_list(
        "licence__application_matter__application_id", flat=True)) == ids(w, 1, 3)
    assert set(selectors.records("obligation_state", f, "compliant").rows.values_list(
        "licence__application_matter__application_id", flat=True)) == ids(w, 1)
    ws = selectors.verification_summary(period(w, department=WS_DEPARTMENT))
    assert (ws["due"], ws["done"], ws["compliant"]) == (3, 2, 1)
    online = selectors.verification_summary(period(w, channel="online"))
    assert (online["due"], online["done"], online["compliant"]) == (1, 1, 1)
    assert selectors.records("obligations_due", period(w, channel="counter")).rows.count() == 3
    # due after the period: nothing is due, nothing done
    later = Filters(start=timezone.localdate() + timedelta(days=1), end=timezone.localdate() + timedelta(days=30))
    assert selectors.verification_summary(later)["due"] == 0


def test_sanctions_figures(world):
    w = world
    f = period(w)
    summary = selectors.sanctions_summary(f)
    assert summary["violations"] == 2
    assert {code: n for code, _l, n in summary["by_kind"]} == {"identity": 1, "untrue": 1}
    assert {key: n for key, _l, n in summary["by_level"]} == {"1": 0, "2": 0, "3": 1, "none": 1}
    now = timezone.now()
    in_force = [r for r in Restriction.objects.all() if r.is_active_at(now)]
    assert summary["restrictions_active"] == len(in_force) == 3
    assert set(selectors.records("restrictions_active", f).rows.values_list("pk", flat=True)) == {
        r.pk for r in in_force}
    assert summary["key_targets"] == 1
    assert list(selectors.records("key_targets", f).rows) == [w.people[4]]
    assert summary["objections"]["filed"] == 1 and dict(
        (k, n) for k, _l, n in summary["objections"]["states"]) == {"open": 0, "upheld": 0, "rejected": 1}
    assert (summary["objections"]["median_days"], summary["objections"]["p90_days"]) == (0, 0)
    assert summary["repairs"]["filed"] == 1 and summary["repairs"]["median_days"] is None
    assert list(selectors.records("repair_state", f, "submitted").rows) == [w.repair]
    assert list(selectors.records("violation_kind", f, "identity").rows) == [w.violations["identity"]]
    assert selectors.records("violation_level", f, "none").rows.get().kind_id == "untrue"
    # by department: a3's case (WS) and its restriction; a4's (GH) with the key target; p6's has no application
    ws = selectors.sanctions_summary(period(w, department=WS_DEPARTMENT))
    assert (ws["violations"], ws["restrictions_active"], ws["key_targets"]) == (1, 1, 0)
    gh = selectors.sanctions_summary(period(w, matter_id=w.gh.matter_id))
    assert (gh["violations"], gh["restrictions_active"], gh["key_targets"], gh["objections"]["filed"]) == (1, 1, 1, 1)
    online = selectors.sanctions_summary(period(w, channel="online"))
    assert (online["violations"], online["restrictions_active"], online["key_targets"]) == (0, 0, 0)


def test_every_number_on_the_page_links_to_a_list_of_exactly_that_many_records(world, client):
    w = world
    client.force_login(w.supervisor)
    query = {"start": (w.friday - timedelta(days=1)).isoformat(), "end": timezone.localdate().isoformat()}
    html = client.get("/supervision/", query).content.decode()
    links = re.findall(r'<a href="([^"]+)"[^>]*data-value="(\d+)"', html)
    links += re.findall(r'<td class="num"><a href="([^"]+)">([\d,]+)</a>', html)
    assert len(links) > 30
    for href, value in links:
        href = href.replace("&amp;", "&")
        page = client.get(href)
        assert page.status_code == 200, href
        count = re.search(r'id="record-count" data-value="(\d+)"', page.content.decode()).group(1)
        assert int(count) == int(value.replace(",", "")), href
    assert 'data-figure="received"' in html and 'data-value="8"' in html


def test_the_summaries_follow_the_sources_incrementally_and_match_a_rebuild(world):
    w = world
    a8 = w.apps[8]
    application_choose_standard(application_id=a8.pk, by=w.staff)
    application_reject(application_id=a8.pk, by=w.staff, reason="材料不全")
    assert selectors.application_summary(period(w))["finished"] == 5  # not refreshed yet
    assert applications_refresh() == 4  # the four applications received that Monday
    assert selectors.application_summary(period(w))["finished"] == 6
    assert drilled("finished", period(w)) == ids(w, 1, 2, 3, 4, 5, 8)
    applications_refresh()  # again (a run looks a little back, for transactions that committed late): no change
    assert selectors.application_summary(period(w))["finished"] == 6

    def rows():
        return (sorted(ApplicationFigure.objects.values_list("day", "level", "department", "matter", "channel", "mode",
                                                             "received", "finished", "on_the_spot", "same_day",
                                                             "within_limit", "lenient", "supplements_complete",
                                                             "credit_checks", "entitlement_changed")),
                sorted((row[:5], sorted(row[5].items())) for row in DecisionTime.objects.values_list(
                    "day", "level", "department", "matter", "channel", "histogram")))

    incremental = rows()
    applications_refresh(rebuild=True)
    assert rows() == incremental
    assert Application.objects.count() == 8


def test_the_dashboard_data_reconciles_with_its_exports(world):
    w = world
    data = pages.build(period(w))
    overview = {row["name"]: row for row in data["overview"]}
    assert overview["on_the_spot"]["value"] == 3 and overview["on_the_spot"]["share"] == 3 / 8
    assert overview["within_limit"]["whole"] == 5  # of the decided
    assert data["times"]["median"] == 45 and data["times"]["p90"] == 3960


def test_the_page_punctuates_in_chinese_full_width_and_in_english_ascii(world, client):
    """Labels, numbers and their punctuation are one translatable phrase each: in Chinese the page (and its charts'
    <title>s) reads 中位数；第90百分位 and 11-08：受理 0，办结 0, not 中位数; 第90百分位 or 11-08: 受理 0, 办结 0."""
    w = world
    client.force_login(w.supervisor)
    query = {"start": (w.friday - timedelta(days=1)).isoformat(), "end": timezone.localdate().isoformat()}
    html = client.get("/supervision/", query).content.decode()
    assert '中位数；第90百分位 <b id="p90" data-value="3960">' in html
    assert re.search(r'（<a href="[^"]+">5 件办结</a>）', html)
    assert "占受理件（8）" in html and "占办结件（5）" in html
    assert re.search(r'提出 <a href="/supervision/records/objections/[^"]+" data-value="1">1</a> 件；'
                     r"处理时长（工作日）：中位数 <b>0</b>，第90百分位 <b>0</b>", html)
    assert "件；处理时长（工作日）：中位数 <b>—</b>，第90百分位 <b>—</b>" in html  # the repairs: none decided
    titles = re.findall(r"<title>([^<]*)</title>", html)[1:]
    assert re.fullmatch(r"\d\d-\d\d：受理 \d+，办结 \d+", titles[0]) and "告知承诺：" in " ".join(titles)
    text = " ".join(titles + re.findall(r'(?:title|aria-label)="([^"]*)"', html)
                    + [re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S))])
    assert not re.search(r"[\u4e00-\u9fff][:;,!?]|[:;,]\s*[\u4e00-\u9fff]|[\u4e00-\u9fff] \(|\) [\u4e00-\u9fff]", text)
    # the same phrases in English keep their ASCII punctuation
    client.post("/i18n/setlang/", {"language": "en", "next": "/supervision/"})
    html = client.get("/supervision/", query).content.decode()
    assert 'median; 90th percentile <b id="p90" data-value="3960">' in html
    assert re.search(r'\(<a href="[^"]+">5 decisions</a>\)', html) and "of received (8)" in html
    assert re.search(r'Filed <a href="[^"]+" data-value="1">1</a>; decision time \(working days\): '
                     r"median <b>0</b>, 90th percentile <b>0</b>", html)
    titles = re.findall(r"<title>([^<]*)</title>", html)[1:]
    assert re.fullmatch(r"\d\d-\d\d: received \d+, decided \d+", titles[0])
    assert "notify and commit: " in " ".join(titles)
