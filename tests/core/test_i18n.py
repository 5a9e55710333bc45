"""The UI is Chinese first: every message has a translation and the committed .mo files match."""

import polib
import pytest

from urbangrid.core.i18n_compile import catalogues

CATALOGUES = catalogues()


def test_every_app_has_a_catalogue():
    apps = {p.parts[-5] for p in CATALOGUES}
    assert {"core", "accounts", "geo", "catalog", "components"} <= apps


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_is_complete_and_compiled(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated() and "fuzzy" not in e.flags]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {po_path}: {untranslated}"
    assert not fuzzy, f"fuzzy in {po_path}: {fuzzy}"
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo}
    stale = [e.msgid for e in po if compiled.get((e.msgctxt, e.msgid)) != (e.msgstr, e.msgstr_plural)]
    assert not stale, f"{po_path.with_suffix('.mo')} is stale (run `make messages`): {stale[:5]}"
