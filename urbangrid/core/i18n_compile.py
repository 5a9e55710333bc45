"""Compile every .po catalogue under urbangrid/ into its .mo (no GNU gettext needed).

The .mo files are committed, because a fresh machine running `make demo` may lack gettext.
`python -m urbangrid.core.i18n_compile` rewrites them; tests/core/test_i18n.py fails when a
.mo is stale or a message lacks its Chinese translation.
"""

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    return sorted(ROOT.glob("**/locale/*/LC_MESSAGES/django.po"))


def main() -> None:
    for po_path in catalogues():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT.parent)}")


if __name__ == "__main__":
    main()
