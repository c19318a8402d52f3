"""Every admin list and change page an administrator can open renders, in Chinese."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from approvals.models import MatterVersion

pytestmark = pytest.mark.django_db


def test_every_changelist_and_one_change_page_render(admin_client):
    call_command("load_demo")
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        page = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert page.status_code == 200, opts.label
        first = model_admin.get_queryset(page.wsgi_request).first()
        if first is not None:
            change = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
            assert change.status_code == 200, opts.label


def test_a_used_version_is_read_only_and_offers_a_new_version(admin_client):
    call_command("load_demo")
    version = MatterVersion.objects.filter(application_matters__isnull=False).first()
    page = admin_client.get(reverse("admin:approvals_matterversion_change", args=[version.pk])).content.decode()
    assert "作为新版本编辑" in page
    response = admin_client.post(reverse("admin:approvals_matterversion_revise", args=[version.pk]))
    assert response.status_code == 302
    assert version.matter.versions.count() == 2


def test_the_dishonest_import_page_reports_bad_rows(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.csv", "号码,名称,列入日期\n123,某,2026-01-01\n".encode())
    page = admin_client.post(reverse("admin:approvals_dishonestentry_import"), {"file": bad, "list_name": "严重失信主体名单"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "第2行" in html
