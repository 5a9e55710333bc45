"""Cases for the desk tests: an earlier report from a number, and a case walked to closed (the
citizen tests' walk, shared)."""

from tests.intake.citizen.conftest import close_case  # noqa: F401  (re-exported for the desk tests)
from urbangrid.cases import services


def hotline_report(o, phone: str, description: str = "垃圾箱满溢"):
    """An earlier report from a caller's number, as the desk records it."""
    return services.report_case(
        o.intake,
        source="hotline_12319",
        kind="matter",
        type_code="06010",
        description=description,
        lon=o.west_point[0],
        lat=o.west_point[1],
        reporter_phone=phone,
    )
