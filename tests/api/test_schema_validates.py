"""The OpenAPI schema generates without a warning and validates."""

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    paths = yaml.safe_load(target.read_text())["paths"]
    assert "/api/applications/{application_id}/decide/" in paths
    decide = paths["/api/applications/{application_id}/decide/"]["post"]
    assert {"409", "422"} <= set(decide["responses"])
    assert any(p["name"] == "Idempotency-Key" for p in decide["parameters"])


def test_the_schema_is_served(client):
    assert client.get("/api/schema/").status_code == 200
