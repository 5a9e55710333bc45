"""Administrators edit the evaluation scheme in the admin; each edit is audited."""

import pytest
from django.test import Client

from tests.factories import PASSWORD
from urbangrid.audit.models import AuditRecord
from urbangrid.evaluation.models import Scheme

pytestmark = pytest.mark.django_db


def test_an_admin_edits_the_weights_and_the_edit_is_audited(make_user):
    make_user("admin", username="keeper")
    client = Client()
    assert client.login(username="keeper", password=PASSWORD)
    scheme = Scheme.objects.get(subject_kind="department")
    page = client.get(f"/admin/evaluation/scheme/{scheme.pk}/change/")
    assert page.status_code == 200 and "CJ/T 292" in page.content.decode()
    form = {
        "weights": '{"on_time_rate": 70, "disposal_rate": 20, "rework_rate": 10}',
        "bands": str(scheme.bands).replace("'", '"'),
        "labels": str(scheme.labels).replace("'", '"'),
        "note": scheme.note,
    }
    response = client.post(f"/admin/evaluation/scheme/{scheme.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    scheme.refresh_from_db()
    assert scheme.weights["on_time_rate"] == 70
    assert AuditRecord.objects.filter(action="config.update", target_id=str(scheme.pk)).exists()
