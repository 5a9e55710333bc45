"""The map page in a real browser: the small county's grids are drawn, a click on a grid
shows its code and attributes, and a click on a component shows its details."""

import re

import pytest
import shapely

from tests.browser import login, screenshot
from tests.factories import make_department, make_user
from tests.geo.small_gazetteer import build_small_gazetteer
from urbangrid.accounts.models import Role
from urbangrid.components import services as components

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAMP_TYPE = "01037"
# Street lamps along 人民路, one damaged.
LAMPS = [(120.0005 + i * 0.001, 30.0052) for i in range(20)]


@pytest.fixture
def county(small_county):
    build_small_gazetteer()
    dept = make_department(code="lamps", name="路灯所")
    for i, (lon, lat) in enumerate(LAMPS):
        components.register_component(
            None,
            type_code=LAMP_TYPE,
            geometry=shapely.Point(lon, lat),
            competent_department=dept,
            status="damaged" if i == 5 else "intact",
        )
    return small_county


def _screen_point(page, lon, lat):
    """Viewport pixel of a map coordinate."""
    x, y = page.evaluate(
        "([lat, lon]) => { const p = window.ugMap.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    box = page.locator("#map").bounding_box()
    return box["x"] + x, box["y"] + y


def _settled_screenshot(page, name):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # zoom animations end, tiles repaint, popups fade in
    screenshot(page, name)


def _open_map(page):
    user = make_user(Role.SUPERVISOR)
    login(page, user.username)
    page.goto("/geo/map/")
    page.wait_for_function("document.querySelectorAll('path.ug-grid').length >= 32")
    page.wait_for_load_state("networkidle")


def test_grids_are_drawn_and_a_click_shows_the_grid(county, page):
    _open_map(page)
    assert page.locator("path.ug-grid").count() == 32
    assert page.locator(".street-label", has_text="城西街道").count() == 1
    x, y = _screen_point(page, 120.0012, 30.0088)  # inside 990101001001001, away from lamps
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "990101001001001" in popup.inner_text()
    assert "城西北社区" in popup.inner_text() and "城西街道" in popup.inner_text()
    page.wait_for_function("!document.querySelector('[data-describe]').textContent.includes('…')")
    assert "位置\t城西北社区 990101001001001 网格" in popup.inner_text()
    _settled_screenshot(page, "map-grid-popup")


def test_a_component_click_shows_its_details(county, page):
    _open_map(page)
    page.evaluate("window.ugMap.setView([30.0052, 120.0055], 18)")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(400)  # tiles are painted after their fetch resolves
    x, y = _screen_point(page, *LAMPS[5])
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_function("document.querySelector('.leaflet-popup-content h3')")
    text = popup.inner_text()
    assert re.search(r"\d{17}", text) and "破损" in text, text
    _settled_screenshot(page, "map-component-popup")


def test_address_search_flies_to_the_place(county, page):
    _open_map(page)
    page.fill(".ug-search input", "人民路十号")
    page.press(".ug-search input", "Enter")
    first = page.locator(".ug-search li").first
    first.wait_for()
    assert "人民路10号" in first.inner_text()
    first.click()
    page.wait_for_function("window.ugMap.getZoom() >= 18")
    assert "人民路10号" in page.locator(".leaflet-popup-content").inner_text()
    _settled_screenshot(page, "map-search")
