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


def test_the_login_protection_and_periodic_task_pages_are_in_chinese(admin_client):
    """django-axes ships no Chinese: its section is 登录保护 (ops.axes_app), its names come from locale_vendor/;
    django-celery-beat's catalog leaves its periodic task page's sections in English."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    fields = {"user_agent": "Mozilla/5.0", "ip_address": "127.0.0.1", "username": "window",
              "http_accept": "text/html", "path_info": "/accounts/login/"}
    AccessAttempt.objects.create(**fields, get_data="", post_data="", failures_since_start=2)
    AccessFailureLog.objects.create(**fields, locked_out=False)
    AccessLog.objects.create(**fields)

    section = admin_client.get(reverse("admin:app_list", args=["axes"])).content.decode()
    for word in ("登录保护", "登录尝试", "登录失败记录", "登录日志"):
        assert word in section, word
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "登录保护" in index
    for html in (section, index):
        for english in ("Axes", "Access attempts", "Access failures", "Access logs", "Model name"):
            assert english not in html, english

    pages = {name: admin_client.get(reverse(f"admin:axes_{name}_changelist")).content.decode()
             for name in ("accessattempt", "accessfailurelog", "accesslog")}
    assert all(word in pages["accessattempt"] for word in ("尝试时间", "IP 地址", "浏览器标识", "用户名", "失败次数"))
    assert "已锁定" in pages["accessfailurelog"] and "退出时间" in pages["accesslog"]
    for html in pages.values():
        for english in ("User Agent", "IP Address", "Username", "Attempt Time", "Failed Logins", "Locked Out",
                        "Logout Time", ">Path<"):
            assert english not in html, english

    attempt = AccessAttempt.objects.get()
    change = admin_client.get(reverse("admin:axes_accessattempt_change", args=[attempt.pk])).content.decode()
    assert "表单数据" in change and "请求元数据" in change and "Form Data" not in change

    periodic = admin_client.get(reverse("admin:django_celery_beat_periodictask_add")).content.decode()
    for word in ("调度计划", "参数", "执行选项"):
        assert word in periodic, word
    for english in (">Schedule<", ">Arguments<", "Execution Options"):
        assert english not in periodic, english
