import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_chinese_by_default(client):
    page = client.get("/matters/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "事项清单" in page.content.decode()
    assert page.headers["Content-Language"] == "zh-hans"


def test_choosing_english_with_the_switcher_sticks(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/matters/"})
    page = client.get("/matters/")
    assert "Matter catalog" in page.content.decode()
