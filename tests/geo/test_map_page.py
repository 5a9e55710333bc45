import json

from django.test import Client

from tests.factories import PASSWORD
from urbangrid.accounts.models import Role


def _config(response) -> dict:
    html = response.content.decode()
    start = html.index('id="map-config"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_map_needs_a_login(db):
    response = Client().get("/geo/map/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_map_page_is_configured_for_the_county(small_gazetteer, make_user, settings):
    settings.URBANGRID = {**settings.URBANGRID, "BASEMAP_URL": ""}
    user = make_user(Role.SUPERVISOR)
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    response = client.get("/geo/map/")
    assert response.status_code == 200
    config = _config(response)
    assert config["extent"] == [[30.0, 120.0], [30.01, 120.02]]
    assert config["basemap"]["url"] == "" and config["hasRoads"] is True
    assert config["strings"]["grids"] == "单元网格"
    assert {s["value"] for s in config["statuses"]} >= {"intact", "damaged", "lost"}


def test_basemap_setting_reaches_the_page(small_county, make_user, settings):
    settings.URBANGRID = {**settings.URBANGRID, "BASEMAP_URL": "https://t{s}.example/{z}/{x}/{y}.png"}
    user = make_user(Role.SUPERVISOR)
    client = Client()
    client.login(username=user.username, password=PASSWORD)
    assert _config(client.get("/geo/map/"))["basemap"]["url"] == "https://t{s}.example/{z}/{x}/{y}.png"
