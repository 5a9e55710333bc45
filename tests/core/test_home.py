"""The home page leads each user to their work: the to-do queue, and reporting for those who may."""

import pytest
from django.test import Client

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def home_of(user) -> str:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client.get("/").content.decode()


def test_the_home_page_shows_what_each_role_may_do(make_user):
    citizen = home_of(make_user("citizen"))
    assert 'href="/cases/"' in citizen and 'href="/cases/report/"' in citizen
    assert 'href="/admin/"' not in citizen.split("<main", 1)[-1]
    disposer = home_of(make_user("disposer"))
    assert 'href="/cases/"' in disposer and 'href="/cases/report/"' not in disposer


def test_the_home_page_needs_a_login():
    response = Client().get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
