"""The OpenAPI document describes every case action and the one error shape clients get back."""

import pytest
from django.test import Client

from urbangrid.cases.workflow import ACTIONS

pytestmark = pytest.mark.django_db


def test_every_operation_documents_the_error_replies():
    doc = Client().get("/api/v1/openapi.json").json()
    assert doc["components"]["schemas"]["Error"]["required"] == ["code", "message"]
    dispatch = doc["paths"]["/api/v1/cases/{number}/dispatch"]["post"]["responses"]
    for status in ("403", "409", "422"):
        assert dispatch[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    undocumented = [
        (path, method)
        for path, operations in doc["paths"].items()
        for method, operation in operations.items()
        if "409" not in operation["responses"]
    ]
    assert not undocumented


def test_each_case_action_has_an_endpoint():
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    case_paths = " ".join(p for p in paths if p.startswith("/api/v1/cases/"))
    # The API spells actions with hyphens; requests for more time and the ledger are their own resources.
    named = {
        "request_extension": "extension-requests",
        "request_suspend": "suspend-requests",
        "decide_request": "requests",
    }
    missing = [a for a in ACTIONS if named.get(a, a.replace("_", "-")) not in case_paths]
    assert not missing, missing
