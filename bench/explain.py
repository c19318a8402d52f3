"""EXPLAIN ANALYZE of the hot queries (issue 8), against a database already filled by
`manage.py load_demo` and `manage.py generate_data` (e.g. 1,000,000 subjects / 100,000 restrictions /
1,000,000 licences / 5,000 inspectors). Not part of `make bench`: it reads the database DATABASE_URL names and
changes nothing (writes run inside a transaction that is rolled back).

DATABASE_URL=postgres://postgres@127.0.0.1:5432/approvals_h16 python -m bench.explain [--only NAME] > plans.txt

Each query is captured from the code that runs it (the credit check, the page views, the sweeps), so the plans
are those of the real SQL; each is printed with its plan, execution time and rows."""

import argparse
import re
import sys
from datetime import timedelta

from bench._harness import setup_django


class Rollback(Exception):
    pass


def captured(fn) -> list[str]:
    """The SQL statements fn runs (params interpolated), in a transaction rolled back afterwards."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        try:
            with transaction.atomic():
                fn()
                raise Rollback
        except Rollback:
            pass
    return [q["sql"] for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


def explain(sql: str) -> str:
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)  # EXPLAIN ANALYZE runs an UPDATE: undo it
    return plan


def page(client, url: str):
    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return get


def cases():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone

    from approvals.models import Subject
    from approvals.selectors import credit_facts
    from inspections.models import Obligation, ObligationState
    from inspections.services import obligations_sweep_overdue
    from approvals.models import Matter
    from sanctions.models import Restriction, RestrictionState
    from sanctions.selectors import published_restrictions, restrictions_in_force

    User = get_user_model()
    window, supervisor = Client(), Client()
    window.force_login(User.objects.get(username="window"))
    supervisor.force_login(User.objects.get(username="supervisor"))
    public = Client()
    now = timezone.now()
    today = timezone.localdate()
    organisation = Subject.objects.filter(kind="organisation", legal_representative__isnull=False).order_by("-pk")[0]
    restricted = Restriction.objects.order_by("-pk")[0].subject

    def population():
        from django.db import connection

        query = Obligation.objects.filter(
            state=ObligationState.DUE, matter__in=list(Matter.objects.values_list("pk", flat=True)),
            issued_on__gte=today - timedelta(days=400), issued_on__lte=today).order_by("pk").values_list(
            "pk", "holder_id", "share")
        sql, params = query.query.sql_with_params()  # as inspections.services.draws._population runs it
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    def expiry_chunk():
        later = now + timedelta(days=3 * 365)  # every restriction ended: the sweep's first chunk of 2000
        list(Restriction.objects.select_for_update(of=("self",), skip_locked=True)
             .select_related("subject", "matter", "violation")
             .filter(state=RestrictionState.ACTIVE, ends_at__lte=later).order_by("pk")[:2000])

    def expiry_today():
        list(Restriction.objects.select_for_update(of=("self",), skip_locked=True)
             .select_related("subject", "matter", "violation")
             .filter(state=RestrictionState.ACTIVE, ends_at__lte=now).order_by("pk")[:2000])

    return {
        "credit facts (organisation + legal representative)": lambda: credit_facts(organisation, now),
        "restrictions_in_force (restricted subject)": lambda: restrictions_in_force([restricted], now),
        "public restriction list page 1 (web)": page(public, "/public/restrictions/"),
        "public restriction list page 20 (web)": page(public, "/public/restrictions/?page=20"),
        "public restriction list (API)": page(public, "/api/public/restrictions/"),
        "supervisor case list (web)": page(supervisor, "/sanctions/"),
        "supervisor case list (API)": page(supervisor, "/api/violations/"),
        "restriction search by name (API, staff)": page(window, "/api/restrictions/?q=" + restricted.name[:2]),
        "application inbox, open (web, staff)": page(window, "/applications/"),
        "application inbox, all (web, staff)": page(window, "/applications/?state=all"),
        "application list (API, staff)": page(window, "/api/applications/"),
        "draw population (all matters, 400 days)": population,
        "overdue sweep: count of the newly overdue (as of today)": lambda: obligations_sweep_overdue(today=today),
        "overdue sweep: count, everything overdue (+3 years, period of 10 years)": lambda: obligations_sweep_overdue(
            today=today + timedelta(days=3 * 365), since=today - timedelta(days=7 * 365)),
        "overdue list for supervisors (web, derived from due_on)": page(supervisor, "/obligations/overdue/"),
        "restriction expiry sweep, first chunk (as of now)": expiry_today,
        "restriction expiry sweep, first chunk (everything ended)": expiry_chunk,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--min-ms", type=float, default=0.0, help="print only plans taking at least this long")
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("needs PostgreSQL: set DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for name, fn in cases().items():
        if args.only and args.only not in name:
            continue
        print(f"\n######## {name}")
        for sql in captured(fn):
            if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "WITH")):
                continue
            plan = explain(sql)
            took = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
            if took < args.min_ms:
                continue
            print(f"\n--- {took:.3f} ms\n{sql[:1500]}\n{plan}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
