"""The catalogue's admin pages in a real browser (screenshots in test-artifacts/)."""

import pytest

from tests.browser import login, screenshot
from urbangrid.catalog.models import CatalogType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_catalogue_list_and_type_pages(page, make_user):
    make_user("admin", username="catalog-admin")
    login(page, "catalog-admin")
    page.goto("/admin/catalog/catalogtype/?kind__exact=matter&major=06")
    assert page.locator("#result_list tbody tr").count() == 50
    assert page.get_by_text("私搭乱建").first.is_visible()
    screenshot(page, "catalog-admin-list")
    t = CatalogType.objects.get(kind="matter", code="06001")
    page.goto(f"/admin/catalog/catalogtype/{t.pk}/change/")
    assert page.locator("input[value='停工']").is_visible()
    assert page.get_by_text("上线前请对照本地规定").first.is_visible()
    screenshot(page, "catalog-admin-type")
