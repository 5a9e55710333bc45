"""Cases for the desk tests: an earlier report from a number, and a case walked to closed."""

import base64

from django.core.files.uploadedfile import SimpleUploadedFile

from urbangrid.cases import services

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def photo():
    return SimpleUploadedFile("p.png", PNG, content_type="image/png")


def close_case(o, number: str) -> None:
    services.accept(o.intake, number)
    services.verify(o.sup, number, confirmed=True, photos=[photo()])
    services.file_case(o.shift, number, meets_condition=True)
    services.dispatch(o.dispatcher, number, department=o.hws)
    services.feedback(o.cleaner, number, note="已处理", photos=[photo()])
    services.check(o.sup, number, passed=True, photos=[photo()])
    services.close(o.shift, number, meets_condition=True)


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
