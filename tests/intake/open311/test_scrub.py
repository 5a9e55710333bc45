"""Citizens write their numbers into descriptions and comments; the public feed masks them
and leaves other numbers (door numbers, dates, case numbers) alone."""

import pytest

from urbangrid.intake.open311.public import scrub


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("请联系13812345678", "请联系138****5678"),
        ("电话 0571-87654321 或 057187654321", "电话 0571-****4321 或 0571****4321"),
        ("身份证330102199001011234", "身份证330102********1234"),
        ("身份证33010219900101123X", "身份证330102********123X"),
        ("王女士来电反映，李师傅说", "*女士来电反映，*师傅说"),
        ("人民路10号，2026年11月26日，案卷2026000001", "人民路10号，2026年11月26日，案卷2026000001"),
    ],
)
def test_personal_numbers_are_masked(text, shown):
    assert scrub(text) == shown
