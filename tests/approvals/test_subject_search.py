"""Finding a subject by part of its name or by its number: the counter's search, and the supervisors'
restriction list. On PostgreSQL the name lookups are on the trigram index of UPPER(name) (approvals 0006)."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from approvals.roles import SUPERVISOR, WINDOW_STAFF
from tests.approvals.factories import OrganisationFactory, PersonFactory, UserFactory
from tests.sanctions.factories import RestrictionFactory

pytestmark = pytest.mark.django_db


def found(client, query) -> str:
    return client.get("/subjects/", {"q": query}).content.decode()


def test_the_counter_finds_a_subject_by_part_of_its_name_or_by_its_number(client):
    client.force_login(UserFactory(role=WINDOW_STAFF))
    hotel = OrganisationFactory(name="德令哈姜磊酒店管理有限公司")
    trading = OrganisationFactory(name="Delingha ABC Trading Co.")
    person = PersonFactory(name="王秀英", number="11010519491231002X")

    assert hotel.name in found(client, "姜磊酒店") and trading.name not in found(client, "姜磊酒店")
    assert trading.name in found(client, "abc trading")  # Latin letters in any case
    assert person.name in found(client, "11010519491231002x")  # the check letter typed in lower case
    assert person.name in found(client, " 1101 0519 4912 3100 2X ")  # spaces as read out from the card
    assert hotel.name not in found(client, "11010519491231002X")


def test_the_restriction_list_searches_names_and_numbers(client):
    client.force_login(UserFactory(role=SUPERVISOR))
    restricted = RestrictionFactory(subject=OrganisationFactory(name="三明示范餐饮有限公司"))
    RestrictionFactory(subject=PersonFactory(name="李四"))
    for query in ("示范餐饮", restricted.subject.number.lower()):
        rows = client.get("/api/restrictions/", {"q": query}).json()
        rows = rows.get("results", rows)
        assert [row["id"] for row in rows] == [restricted.pk], query


def plan(sql: str) -> str:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny: ask what the index can serve
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the trigram index is PostgreSQL's")
def test_the_name_searches_use_the_trigram_index(client):
    RestrictionFactory(subject=OrganisationFactory(name="三明示范餐饮有限公司"))
    searches = []
    for role, url in ((WINDOW_STAFF, "/subjects/"), (SUPERVISOR, "/api/restrictions/")):
        client.force_login(UserFactory(role=role))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"q": "示范餐饮"}).status_code == 200
        searches += [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"] and "示范餐饮" in q["sql"]]
    assert len(searches) >= 2
    for sql in searches:
        assert "subject_name_trgm" in plan(sql), sql


def test_the_register_link_is_offered_only_to_who_may_register(client):
    """A supervisor may look subjects up but not register one: no link to a page that would refuse them."""
    for role, offered in ((WINDOW_STAFF, True), (SUPERVISOR, False)):
        user = UserFactory(role=role)
        client.force_login(user)
        page = client.get("/subjects/").content.decode()
        assert ('href="/subjects/new/"' in page) is offered, role
        assert client.get("/subjects/new/").status_code == (200 if offered else 403), role
