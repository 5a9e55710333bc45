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
