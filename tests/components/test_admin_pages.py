"""The registry's admin pages in a real browser (screenshots in test-artifacts/)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.browser import login, screenshot
from tests.components.builders import IN_LAST_GRID, department, register, tiny_png
from tests.factories import build_small_county
from urbangrid.components import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_component_list_and_detail_pages(page, make_user):
    build_small_county()
    admin = make_user("admin", username="registry-admin")
    lamps = department("lamps", "城区路灯管理所")
    water = department("water", "自来水公司")
    lamp = register(admin, lamps, maintainer_department=water, attributes={"heads": 2, "light_source": "LED"})
    register(
        admin, water, type_code="01001", lon=IN_LAST_GRID[0], lat=IN_LAST_GRID[1], old_code="9901010101000004"
    )
    services.change_status(admin, lamp.code, "damaged", "灯罩破裂，夜间不亮")
    services.add_photo(admin, lamp.code, SimpleUploadedFile("lamp.png", tiny_png(40, 30)), "现场照片")
    login(page, "registry-admin")
    page.goto("/admin/components/component/")
    assert page.get_by_text("99010101037000001").is_visible()
    screenshot(page, "components-admin-list")
    page.goto(f"/admin/components/component/{lamp.pk}/change/")
    assert page.get_by_text("灯罩破裂，夜间不亮").is_visible()
    assert page.locator("img[src*='/media/components/']").count() == 1
    screenshot(page, "components-admin-detail")
    page.locator("#photos-group").scroll_into_view_if_needed()
    screenshot(page, "components-admin-photos-history")
