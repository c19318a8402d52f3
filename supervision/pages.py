"""What the dashboard shows, assembled once for the page, the charts and the exports: every table on the page
is a tablib Dataset here (CSV and XLSX export), and every number links to its drill-down."""

from urllib.parse import urlencode

import tablib
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _, ngettext

from approvals.models import Channel

from . import charts, selectors
from .models import Outcome
from .selectors import Filters
from .templatetags.supervision_tags import num as _num


def drill_url(name: str, f: Filters, key: str = "") -> str:
    query = f.as_query()
    if key:
        query["key"] = key
    return f"{reverse('supervision:records', args=[name])}?{urlencode(query)}"


def share(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def duration(minutes) -> str:
    """Working time as the supervisor reads it: minutes, hours, or working days (of 24 working hours)."""
    if minutes is None:
        return "—"
    if minutes < 60:
        return _("%(n)d min") % {"n": minutes}
    if minutes < 24 * 60:
        return _("%(h)d h %(m)02d min") % {"h": minutes // 60, "m": minutes % 60}
    return _("%(d).1f working days") % {"d": minutes / 1440}


def build(f: Filters) -> dict:
    apps = selectors.application_summary(f)
    checks = selectors.verification_summary(f)
    sanctions = selectors.sanctions_summary(f)
    points = selectors.timeline(f)
    for p in points:
        end = min(f.end, _bucket_end(p["start"], p["step"]))
        p["label"] = p["start"].strftime("%m-%d") if p["step"] != "month" else p["start"].strftime("%Y-%m")
        p["url"] = drill_url("received", Filters(**{**f.__dict__, "start": max(p["start"], f.start), "end": end}))
    overview = [
        ("received", _("Applications received"), apps["received"], None, ""),
        ("finished", _("Decided (licences issued or rejected)"), apps["finished"], apps["received"],
         _("of received")),
        ("on_the_spot", _("Issued on the spot"), apps["on_the_spot"], apps["received"], _("of received")),
        ("same_day", _("Finished the same day"), apps["same_day"], apps["received"], _("of received")),
        ("within_limit", _("Finished within the statutory limit"), apps["within_limit"], apps["finished"],
         _("of decided")),
        ("lenient", _("Lenient acceptances"), apps["lenient"], apps["received"], _("of received")),
        ("supplements_complete", _("Lenient acceptances fully supplemented"), apps["supplements_complete"],
         apps["lenient"], _("of lenient acceptances")),
        ("credit_checks", _("Credit look-ups made"), apps["credit_checks"], None, ""),
        ("entitlement_changed", _("Applications whose entitlement a look-up changed"), apps["entitlement_changed"],
         apps["received"], _("of received")),
    ]
    overview = [{"name": n, "label": label, "value": v, "whole": w, "share": selectors.ratio(v, w), "of": of,
                 "url": drill_url(n, f)} for n, label, v, w, of in overview]
    modes = [{"key": k, "label": label, "value": n, "share": s, "url": drill_url("mode", f, k)}
             for k, label, n, s in apps["modes"]]
    by = {d: selectors.by_dimension(f, d) for d in ("department", "matter", "channel")}
    for rows in by.values():
        for row in rows:
            row["url"] = drill_url("received", row["filters"])
            row["filter_url"] = f"?{urlencode(row['filters'].as_query())}"
    states = [{"key": k, "label": label, "value": n, "url": drill_url("obligation_state", f, k)}
              for k, label, n in checks["states"]]
    kinds = [{"key": k, "label": label, "value": n, "url": drill_url("violation_kind", f, k)}
             for k, label, n in sanctions["by_kind"]]
    levels = [{"key": k, "label": label, "value": n, "url": drill_url("violation_level", f, k)}
              for k, label, n in sanctions["by_level"]]
    for part, name in (("objections", "objection_state"), ("repairs", "repair_state")):
        sanctions[part]["rows"] = [{"key": k, "label": label, "value": n, "url": drill_url(name, f, k)}
                                   for k, label, n in sanctions[part]["states"]]
        sanctions[part]["url"] = drill_url(part, f)
        # The pieces of one translatable sentence ("Filed %(filed)s; decision time …"), marked up here so that the
        # sentence and its punctuation stay whole in the catalog.
        sanctions[part]["filed_html"] = format_html('<a href="{}" data-value="{}">{}</a>', sanctions[part]["url"],
                                                    sanctions[part]["filed"], _num(sanctions[part]["filed"]))
        sanctions[part]["median_html"] = format_html("<b>{}</b>", _num(sanctions[part]["median_days"]))
        sanctions[part]["p90_html"] = format_html("<b>{}</b>", _num(sanctions[part]["p90_days"]))
    data = {
        "filters": f, "apps": apps, "overview": overview, "modes": modes, "timeline": points, "by": by,
        "verification": checks, "obligation_states": states, "sanctions": sanctions, "kinds": kinds,
        "levels": levels, "refreshed_at": selectors.last_refresh(),
        "times": {"measured": apps["measured"], "median": apps["median_minutes"], "p90": apps["p90_minutes"],
                  "median_text": duration(apps["median_minutes"]), "p90_text": duration(apps["p90_minutes"]),
                  "p90_html": format_html('<b id="p90" data-value="{}">{}</b>', apps["p90_minutes"],
                                          duration(apps["p90_minutes"])),
                  "url": drill_url("measured", f),
                  "decisions_html": format_html('<a href="{}">{}</a>', drill_url("measured", f), ngettext(
                      "%(n)s decision", "%(n)s decisions", apps["measured"]) % {"n": apps["measured"]})},
        "urls": {n: drill_url(n, f) for n in ("obligations_due", "obligations_done", "violations",
                                              "restrictions_active", "key_targets")},
    }
    data["urls"]["compliant"] = drill_url("obligation_state", f, "compliant")
    data["charts"] = {
        "timeline": charts.columns(points, label=_("Applications received and decided")),
        "modes": charts.bars([(m["label"], m["value"], m["url"]) for m in modes], label=_("Share by mode")),
        "states": charts.bars([(s["label"], s["value"], s["url"]) for s in states],
                              label=_("Verification obligations by state")),
        "kinds": charts.bars([(k["label"], k["value"], k["url"]) for k in kinds], label=_("Violations by kind")),
        "levels": charts.bars([(k["label"], k["value"], k["url"]) for k in levels], label=_("Violations by level")),
        "coverage": charts.meter(checks["done"], checks["due"], label=_("Verification coverage")),
        "compliance": charts.meter(checks["compliant"], checks["done"], label=_("Compliance rate")),
    }
    return data


def _bucket_end(start, step):
    from datetime import timedelta

    if step == "day":
        return start
    if step == "week":
        return start + timedelta(days=6)
    following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# ---- exports: one Dataset per table ----

TABLES = ["overview", "modes", "timeline", "department", "matter", "channel", "verification", "violation_kinds",
          "violation_levels", "objections", "repairs"]


def _dimension_dataset(rows, first: list[str], key) -> tablib.Dataset:
    data = tablib.Dataset(headers=first + [
        _("received"), _("decided"), _("issued on the spot"), _("finished the same day"),
        _("finished within the statutory limit"), _("lenient acceptances"), _("fully supplemented"),
        _("credit look-ups"), _("entitlement changed")])
    for row in rows:
        data.append(key(row) + [row["received"], row["finished"], row["on_the_spot"], row["same_day"],
                                row["within_limit"], row["lenient"], row["supplements_complete"],
                                row["credit_checks"], row["entitlement_changed"]])
    return data


def dataset(data: dict, table: str) -> tablib.Dataset:
    if table == "overview":
        out = tablib.Dataset(headers=[_("figure"), _("value"), _("out of"), _("share")])
        for row in data["overview"]:
            out.append([row["label"], row["value"], "" if row["whole"] is None else row["whole"],
                        "" if row["share"] is None else round(row["share"], 4)])
        times = data["times"]
        out.append([_("Decisions with a measured working time"), times["measured"], "", ""])
        out.append([_("Median working time from intake to decision (minutes)"),
                    "" if times["median"] is None else times["median"], "", ""])
        out.append([_("90th percentile working time from intake to decision (minutes)"),
                    "" if times["p90"] is None else times["p90"], "", ""])
        verification = data["verification"]
        out.append([_("Verification obligations due"), verification["due"], "", ""])
        out.append([_("Verification obligations done"), verification["done"], verification["due"],
                    "" if verification["coverage"] is None else round(verification["coverage"], 4)])
        out.append([_("Found compliant"), verification["compliant"], verification["done"],
                    "" if verification["compliance"] is None else round(verification["compliance"], 4)])
        sanctions = data["sanctions"]
        out.append([_("Violation cases opened"), sanctions["violations"], "", ""])
        out.append([_("Restrictions in force"), sanctions["restrictions_active"], "", ""])
        out.append([_("Key supervision targets"), sanctions["key_targets"], "", ""])
        return out
    if table == "modes":
        out = tablib.Dataset(headers=[_("mode"), _("applications"), _("share")])
        for row in data["modes"]:
            out.append([row["label"], row["value"], "" if row["share"] is None else round(row["share"], 4)])
        return out
    if table == "timeline":
        out = tablib.Dataset(headers=[_("from"), _("received"), _("decided")])
        for p in data["timeline"]:
            out.append([p["start"].isoformat(), p["received"], p["finished"]])
        return out
    if table == "department":
        return _dimension_dataset(data["by"]["department"], [_("department")], lambda r: [r["label"]])
    if table == "matter":
        return _dimension_dataset(data["by"]["matter"], [_("code"), _("matter")], lambda r: [r["code"], r["label"]])
    if table == "channel":
        return _dimension_dataset(data["by"]["channel"], [_("channel")], lambda r: [r["label"]])
    if table == "verification":
        out = tablib.Dataset(headers=[_("state"), _("obligations")])
        for row in data["obligation_states"]:
            out.append([row["label"], row["value"]])
        return out
    if table in ("violation_kinds", "violation_levels"):
        out = tablib.Dataset(headers=[_("kind") if table == "violation_kinds" else _("level"), _("cases")])
        for row in data["kinds" if table == "violation_kinds" else "levels"]:
            out.append([row["label"], row["value"]])
        return out
    if table in ("objections", "repairs"):
        part = data["sanctions"][table]
        out = tablib.Dataset(headers=[_("state"), _("count")])
        for row in part["rows"]:
            out.append([row["label"], row["value"]])
        out.append([_("median decision time (working days)"), "" if part["median_days"] is None
                    else part["median_days"]])
        out.append([_("90th percentile decision time (working days)"), "" if part["p90_days"] is None
                    else part["p90_days"]])
        return out
    raise KeyError(table)


# ---- drill-down listings ----

def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def drill_rows(drill, objects) -> tuple[list[str], list[list]]:
    """The listing's headers and rows (first cell: (text, url)) for one page of records, or all for export."""
    kind = drill.kind
    channels = dict(Channel.choices)
    modes = dict(selectors.MODES)
    outcomes = dict(Outcome.choices)
    if kind == "application":
        headers = [_("application"), _("applicant"), _("channel"), _("mode"), _("received on"), _("decided at"),
                   _("working time"), _("outcome")]
        rows = [[(f"#{a.pk}", reverse("application_detail", args=[a.pk])), a.subject.name,
                 channels.get(a.channel, a.channel), modes.get(a.supervision_fact.mode, a.supervision_fact.mode),
                 a.supervision_fact.received_on.isoformat(), _when(a.supervision_fact.finished_at),
                 duration(a.supervision_fact.working_minutes), outcomes.get(a.supervision_fact.outcome, "")]
                for a in objects]
    elif kind == "check":
        headers = [_("application"), _("stage"), _("checked at"), _("rule version"),
                   _("restricted or seriously dishonest")]
        rows = [[(f"#{c.application_id}", reverse("application_detail", args=[c.application_id])),
                 c.get_stage_display(), _when(c.checked_at), c.rule_version, _("yes") if c.restricted else _("no")]
                for c in objects]
    elif kind == "obligation":
        headers = [_("licence"), _("holder"), _("matter"), _("due on"), _("state")]
        rows = [[(o.licence.number, reverse("inspections:check", args=[o.pk])), o.licence.holder.name,
                 o.licence.matter.name, o.due_on.isoformat(), o.get_state_display()] for o in objects]
    elif kind == "violation":
        headers = [_("case number"), _("subject"), _("kind"), _("level"), _("state"), _("opened at")]
        rows = [[(v.number, reverse("sanctions:case", args=[v.pk])), v.subject.name, v.kind.label,
                 v.get_level_display() if v.level else _("not yet graded"), v.get_state_display(),
                 _when(v.opened_at)] for v in objects]
    elif kind == "restriction":
        headers = [_("subject"), _("scope"), _("starts at"), _("ends at"), _("key supervision"), _("legal act")]
        rows = [[(r.subject.name, reverse("sanctions:restriction", args=[r.pk])),
                 r.matter.name if r.matter_id else r.get_scope_display(), _when(r.starts_at), _when(r.ends_at),
                 _("yes") if r.key_supervision else _("no"), r.legal_act] for r in objects]
    elif kind == "subject":
        headers = [_("subject"), _("ID card number / unified social credit code")]
        rows = [[(s.name, f"{reverse('sanctions:restrictions')}?{urlencode({'q': s.number, 'state': 'active'})}"),
                 s.number] for s in objects]
    else:  # objection, repair
        headers = [_("case number"), _("state"), _("filed at"), _("decided at"), _("decision time (working days)")]
        calendar = selectors.WorkingCalendar()
        rows = []
        for o in objects:
            days = (calendar.days_between(timezone.localdate(o.filed_at), timezone.localdate(o.decided_at))
                    if o.decided_at else None)
            rows.append([(o.violation.number, reverse("sanctions:case", args=[o.violation_id])),
                         o.get_state_display(), _when(o.filed_at), _when(o.decided_at),
                         "" if days is None else days])
    return headers, rows


def drill_queryset(drill):
    related = {"application": ["subject", "supervision_fact"], "check": [],
               "obligation": ["licence__holder", "licence__matter"], "violation": ["subject", "kind"],
               "restriction": ["subject", "matter"], "subject": [], "objection": ["violation"],
               "repair": ["violation"]}[drill.kind]
    ordering = {"application": ["-supervision_fact__received_on", "-pk"], "check": ["-checked_at", "-pk"],
                "obligation": ["due_on", "pk"], "violation": ["-opened_at", "-pk"], "restriction": ["ends_at", "pk"],
                "subject": ["name", "pk"], "objection": ["-filed_at", "-pk"],
                "repair": ["-filed_at", "-pk"]}[drill.kind]
    return drill.rows.select_related(*related).order_by(*ordering)


def drill_dataset(drill) -> tablib.Dataset:
    headers, rows = drill_rows(drill, drill_queryset(drill).iterator(chunk_size=2000))
    out = tablib.Dataset(headers=headers)
    for row in rows:
        out.append([row[0][0]] + row[1:])
    return out
