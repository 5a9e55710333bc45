"""Helpers for the browser tests (the fixtures live in conftest.py)."""

import os

ARTEFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test-artifacts")
PASSWORD = "pass-1234"


def screenshot(page, name: str) -> str:
    """Keep a screenshot as a test artefact (test-artifacts/<name>.png) and return its path."""
    os.makedirs(ARTEFACTS, exist_ok=True)
    path = os.path.join(ARTEFACTS, f"{name}.png")
    page.screenshot(path=path)
    return path


def login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def phone_context(chromium, base_url: str, lon: float, lat: float):
    """A 390×844 touch phone in Shanghai whose GPS reports (lon, lat) to within 8 m."""
    return chromium.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        base_url=base_url,
        geolocation={"longitude": lon, "latitude": lat, "accuracy": 8},
        permissions=["geolocation"],
    )
