"""Synthetic on-the-spot photos for the demo: a simple street scene with the problem drawn in
(before) or gone (after), captioned. Drawn once per kind of scene and stage; case photos are
stored by content digest, so thousands of demo cases share a few dozen files."""

import io
import random
from functools import cache
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

FONT_CANDIDATES = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
]
SIZE = (640, 480)


def _font(size: int):
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def scene_of(type_code: str) -> str:
    major = type_code[:2]
    if major in ("01", "02", "03", "04", "05"):
        return "facility"
    return {"06": "garbage", "07": "posters", "08": "construction", "09": "street_order"}.get(
        major, "garbage"
    )


def _street(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    w, h = SIZE
    draw.rectangle([0, 0, w, 150], fill=(188, 205, 222))
    for x in range(0, w, 90):  # shop fronts
        shade = rng.randint(150, 200)
        draw.rectangle([x + 4, 40 + rng.randint(0, 30), x + 86, 170], fill=(shade, shade - 15, shade - 30))
        draw.rectangle([x + 16, 110, x + 44, 168], fill=(70, 80, 90))
    draw.rectangle([0, 170, w, 260], fill=(205, 198, 185))  # sidewalk
    for x in range(0, w, 40):
        draw.line([x, 170, x - 20, 260], fill=(185, 178, 165), width=2)
    draw.rectangle([0, 260, w, h], fill=(95, 98, 104))  # road
    for x in range(20, w, 120):
        draw.rectangle([x, 372, x + 60, 380], fill=(235, 235, 235))


def _problem(draw: ImageDraw.ImageDraw, scene: str, rng: random.Random) -> None:
    if scene == "garbage":
        for _ in range(14):
            x, y = rng.randint(230, 420), rng.randint(185, 250)
            r = rng.randint(12, 28)
            draw.ellipse(
                [x - r, y - r // 2, x + r, y + r // 2],
                fill=rng.choice([(60, 60, 60), (140, 110, 70), (40, 90, 150), (200, 200, 200)]),
            )
    elif scene == "facility":
        draw.ellipse([260, 300, 380, 345], fill=(25, 25, 25))
        draw.line([270, 310, 330, 335, 372, 318], fill=(160, 160, 160), width=4)
        for i in range(3):
            draw.polygon([(250 + 50 * i, 355), (270 + 50 * i, 300), (290 + 50 * i, 355)], fill=(240, 120, 20))
    elif scene == "posters":
        for _ in range(9):
            x, y = rng.randint(10, 560), rng.randint(60, 150)
            draw.rectangle(
                [x, y, x + 40, y + 55], fill=rng.choice([(250, 250, 240), (250, 220, 90), (230, 80, 80)])
            )
    elif scene == "construction":
        draw.rectangle([180, 200, 470, 300], fill=(120, 90, 60))
        draw.polygon([(200, 200), (320, 120), (450, 200)], fill=(150, 115, 75))
        draw.rectangle([470, 230, 600, 320], fill=(230, 170, 40))
    else:  # street order: a stall and an umbrella on the sidewalk, a car across it
        draw.rectangle([200, 190, 330, 245], fill=(180, 60, 50))
        draw.pieslice([190, 130, 340, 230], 180, 360, fill=(40, 120, 190))
        draw.rounded_rectangle([380, 200, 560, 262], radius=14, fill=(220, 220, 230))
        draw.ellipse([400, 245, 430, 275], fill=(20, 20, 20))
        draw.ellipse([510, 245, 540, 275], fill=(20, 20, 20))


def _fixed(draw: ImageDraw.ImageDraw, scene: str) -> None:
    if scene == "facility":
        draw.ellipse([260, 300, 380, 345], fill=(70, 72, 78), outline=(40, 40, 40), width=4)
        for x in range(275, 370, 16):
            draw.line([x, 306, x, 340], fill=(55, 55, 60), width=2)


def _caption(img: Image.Image, text: str) -> None:
    draw = ImageDraw.Draw(img, "RGBA")
    draw.rectangle([0, SIZE[1] - 44, SIZE[0], SIZE[1]], fill=(0, 0, 0, 150))
    draw.text((14, SIZE[1] - 38), text, fill=(255, 255, 255), font=_font(24))


@cache
def _jpeg(scene: str, stage: str, variant: int) -> bytes:
    rng = random.Random(f"{scene}-{variant}")
    img = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(img)
    _street(draw, rng)
    before = stage in ("report", "verify")
    if before:
        _problem(draw, scene, rng)
    else:
        _fixed(draw, scene)
    label = {"report": "上报照片", "verify": "核实照片", "dispose": "处置后照片", "check": "核查照片"}[stage]
    _caption(img, f"{label} · 数字城管演示")
    out = io.BytesIO()
    img.save(out, "JPEG", quality=70)
    return out.getvalue()


def photo(type_code: str, stage: str, variant: int = 0) -> SimpleUploadedFile:
    data = _jpeg(scene_of(type_code), stage, variant % 3)
    return SimpleUploadedFile(f"{stage}.jpg", data, content_type="image/jpeg")
