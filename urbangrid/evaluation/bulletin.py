"""The monthly bulletin (考核通报): the month's ranking of every subject kind (ranking.evaluate)
with its totals, written as an XLSX workbook (openpyxl) and as a PDF with a chart (reportlab).

The bulletin is always in Chinese, whatever the request's language: the labels are English in
the code, wrapped in gettext, and rendered under `translation.override("zh-hans")`. The PDF uses
reportlab's built-in CID font STSong-Light, so no font file is embedded or downloaded (a viewer
substitutes its own Song/Ming face).
"""

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from urbangrid.accounts.permissions import Scope
from urbangrid.core import clock
from urbangrid.geo.models import Division

from . import bulletin_charts, charts, figures
from .columns import COLUMNS
from .indicators import rate
from .ranking import KINDS, evaluate

LANGUAGE = "zh-hans"
FONT = "STSong-Light"

KIND_LABELS = {
    "department": gettext_lazy("Disposal departments"),
    "street": gettext_lazy("Streets"),
    "community": gettext_lazy("Communities"),
    "supervisor": gettext_lazy("Supervisors"),
    "intake": gettext_lazy("Intake operators"),
    "shift_leader": gettext_lazy("Shift leaders"),
    "dispatcher": gettext_lazy("Dispatchers"),
}


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"


@dataclass
class Bulletin:
    year: int
    month: int
    county: str
    made_at: datetime
    counted_at: datetime | None = None  # the closed month's stored figures (figures.values)
    rankings: dict[str, list[dict]] = field(default_factory=dict)
    totals: list[tuple[str, object, str]] = field(default_factory=list)  # (label, value, format)
    types: list[dict] = field(default_factory=list)  # charts.problem_types
    channels: list[dict] = field(default_factory=list)  # charts.channels

    @property
    def title(self) -> str:
        with translation.override(LANGUAGE):
            return self._title()

    def _title(self) -> str:
        return _("%(county)s digital urban management evaluation bulletin (%(year)d-%(month)02d)") % {
            "county": self.county,
            "year": self.year,
            "month": self.month,
        }

    def filename(self, ext: str) -> str:
        return f"bulletin-{self.year}-{self.month:02d}.{ext}"


def month_period(year: int, month: int) -> tuple[datetime, datetime]:
    first = date(year, month, 1)
    return figures.bounds(first, figures.add_months(first, 1))


def _county_name() -> str:
    top = Division.objects.filter(level=Division.Level.DISTRICT).order_by("code").values("name").first()
    return top["name"] if top else ""


def _sum(items, key) -> int:
    return sum(i["indicators"].get(key) or 0 for i in items)


def gather(year: int, month: int, scope: Scope | None = None) -> Bulletin:
    """Every subject kind ranked for the month (as the API ranks them), and the month's totals:
    cases filed and closed over the streets, disposal over the departments, reports over the
    supervisors, all within `scope`."""
    start, end = month_period(year, month)
    bulletin = Bulletin(year, month, _county_name(), clock.now(), figures.counted_at(start, end))
    for kind in KINDS:
        bulletin.rankings[kind] = evaluate(kind, start, end, scope)
    bulletin.types = charts.problem_types(start, end, scope or Scope(everything=True))
    bulletin.channels = charts.channels(start, end, scope or Scope(everything=True))
    with translation.override(LANGUAGE):
        streets, departments = bulletin.rankings["street"], bulletin.rankings["department"]
        supervisors = bulletin.rankings["supervisor"]
        filed, closed = _sum(streets, "filed"), _sum(streets, "closed")
        on_time_closed, public = _sum(streets, "on_time_closed"), _sum(streets, "public")
        due, on_time = _sum(departments, "due"), _sum(departments, "on_time")
        reported, valid = _sum(supervisors, "reported"), _sum(supervisors, "valid")
        bulletin.totals = [
            (_("Filed"), filed, "n"),
            (_("Cases closed"), closed, "n"),
            (_("Closure rate"), rate(closed, filed), "%"),
            (_("Closed on time"), on_time_closed, "n"),
            (_("On-time closure rate"), rate(on_time_closed, filed), "%"),
            (_("Public reports"), public, "n"),
            (_("Public report rate"), rate(public, filed), "%"),
            (_("Due for disposal"), due, "n"),
            (_("Disposed on time"), on_time, "n"),
            (_("On-time disposal rate"), rate(on_time, due), "%"),
            (_("Overdue, not disposed"), _sum(departments, "overdue_open"), "n"),
            (_("Supervisor reports"), reported, "n"),
            (_("Valid reports"), valid, "n"),
            (_("Valid report rate"), rate(valid, reported), "%"),
            (_("Follow-ups rated"), _sum(streets, "rated"), "n"),
            (_("Public satisfaction rate"), rate(_sum(streets, "satisfied"), _sum(streets, "rated")), "%"),
        ]
    return bulletin


def _summary_text(b: Bulletin) -> str:
    values = {label: value for label, value, _fmt in b.totals}

    def pct(value):
        return "—" if value is None else f"{value:.2f}%"

    best = next((i for i in b.rankings["department"] if i["rank"] == 1), None)
    text = _(
        "In %(year)d-%(month)02d, %(filed)d cases were filed and %(closed)d closed (closure rate "
        "%(closure)s, on-time closure rate %(on_time)s); the disposal departments had %(due)d cases "
        "due, with an on-time disposal rate of %(disposal)s, and %(overdue)d cases overdue and not "
        "disposed at the end of the month."
    ) % {
        "year": b.year,
        "month": b.month,
        "filed": values[_("Filed")],
        "closed": values[_("Cases closed")],
        "closure": pct(values[_("Closure rate")]),
        "on_time": pct(values[_("On-time closure rate")]),
        "due": values[_("Due for disposal")],
        "disposal": pct(values[_("On-time disposal rate")]),
        "overdue": values[_("Overdue, not disposed")],
    }
    if best is not None:
        text += _(" First among the departments: %(name)s (score %(score).2f, grade %(grade)s).") % {
            "name": best["subject"]["name"],
            "score": best["score"],
            "grade": best["grade"],
        }
    return text


# --- XLSX ----------------------------------------------------------------------------------------

NUMBER_FORMATS = {"n": "0", "%": '0.00"%"', "h": "0.00", "score": "0.00"}


def _width(text) -> float:
    """Column width in Excel units: a CJK character is about two Latin ones."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text))


def to_xlsx(b: Bulletin) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    thin = Side(style="thin", color="999999")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)

    def fit(ws, widths):
        for col, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = min(max(w + 2, 8), 40)

    with translation.override(LANGUAGE):
        wb = Workbook()
        ws = wb.active
        ws.title = _("Totals")
        ws.append([b.title])
        ws["A1"].font = Font(bold=True, size=14)
        ws.append([_("Period"), f"{b.year}-{b.month:02d}"])
        ws.append([_("Made at"), timezone.localtime(b.made_at).strftime("%Y-%m-%d %H:%M")])
        if b.counted_at:
            ws.append([_("Figures counted at"), timezone.localtime(b.counted_at).strftime("%Y-%m-%d %H:%M")])
        ws.append([])
        ws.append([_("Indicator"), _("Value")])
        for cell in ws[ws.max_row]:
            cell.font, cell.fill, cell.border = bold, head_fill, box
        for label, value, fmt in b.totals:
            ws.append([label, value])
            ws.cell(ws.max_row, 2).number_format = NUMBER_FORMATS[fmt]
            for cell in ws[ws.max_row]:
                cell.border = box
        fit(ws, [max(_width(t[0]) for t in b.totals), 14])

        for kind in KINDS:
            ws = wb.create_sheet(str(KIND_LABELS[kind]))
            columns = COLUMNS[kind]
            headers = [_("Rank"), _("Code"), _("Subject")]
            headers += [f"{label}(%)" if fmt == "%" else str(label) for _key, label, fmt in columns]
            headers += [_("Score"), _("Grade"), _("Rating")]
            ws.append(headers)
            for cell in ws[1]:
                cell.font, cell.fill, cell.border, cell.alignment = bold, head_fill, box, wrap
            ws.freeze_panes = "D2"
            widths = [_width(h) for h in headers]
            for item in b.rankings[kind]:
                subject = item["subject"]
                row = [item["rank"], str(subject["code"]), subject["name"]]
                row += [item["indicators"].get(key) for key, _label, _fmt in columns]
                row += [item["score"], item["grade"], item["grade_label"]]
                ws.append(row)
                r = ws.max_row
                for n, (_key, _label, fmt) in enumerate(columns, start=4):
                    ws.cell(r, n).number_format = NUMBER_FORMATS[fmt]
                ws.cell(r, 4 + len(columns)).number_format = NUMBER_FORMATS["score"]
                for cell in ws[r]:
                    cell.border = box
                widths[1] = max(widths[1], _width(subject["code"]))
                widths[2] = max(widths[2], _width(subject["name"]))
            # Headers wrap: a numeric column needs only about half its header's width.
            fit(ws, widths[:3] + [max(8, w / 2) for w in widths[3:]])
            ws.row_dimensions[1].height = 45
            ws.auto_filter.ref = ws.dimensions
        out = io.BytesIO()
        wb.save(out)
    return out.getvalue()


# --- PDF -----------------------------------------------------------------------------------------

CHART_FORM = "chart_on_time_rate"
TYPES_FORM = "chart_types_channels"


def _fmt(value, fmt) -> str:
    if value is None:
        return "—"
    if fmt == "n":
        return str(value)
    return f"{value:.2f}"


def _on_time_chart(b: Bulletin, width: float):
    """A bar chart of the departments' on-time disposal rates (按期处置率), in ranking order."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    items = [i for i in b.rankings["department"] if i["indicators"].get("due")]
    height = 230
    drawing = Drawing(width, height)
    drawing.add(
        String(
            width / 2,
            height - 14,
            _("On-time disposal rate of the departments (%)"),
            fontName=FONT,
            fontSize=11,
            textAnchor="middle",
        )
    )
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 60
    chart.width, chart.height = width - 60, height - 90
    chart.data = [[i["indicators"].get("on_time_rate") or 0 for i in items] or [0]]
    names = [i["subject"]["name"] for i in items] or [_("No cases due")]
    chart.categoryAxis.categoryNames = [n if len(n) <= 8 else n[:7] + "…" for n in names]
    labels = chart.categoryAxis.labels
    labels.fontName, labels.fontSize = FONT, 7
    if len(names) > 8:
        labels.angle, labels.boxAnchor, labels.dx, labels.dy = 30, "ne", 0, -2
    else:
        labels.boxAnchor, labels.dy = "n", -4
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#3b7dd8")
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 6
    drawing.add(chart)
    return drawing


def _chart_flowable(drawing, name: str = CHART_FORM):
    """The chart drawn once into a named PDF form XObject, then placed: a reader (and a test)
    finds it as an object of its own."""
    from reportlab.graphics import renderPDF
    from reportlab.platypus import Flowable

    class Chart(Flowable):
        def wrap(self, available_width, available_height):
            return drawing.width, drawing.height

        def draw(self):
            canv = self.canv
            canv.beginForm(name, 0, 0, drawing.width, drawing.height)
            renderPDF.draw(drawing, canv, 0, 0)
            canv.endForm()
            canv.doForm(name)

    return Chart()


def _made_by(b: Bulletin) -> str:
    made = _("Made by UrbanGrid on %(when)s") % {
        "when": timezone.localtime(b.made_at).strftime("%Y-%m-%d %H:%M")
    }
    if not b.counted_at:
        return made
    when = timezone.localtime(b.counted_at).strftime("%Y-%m-%d %H:%M")
    return made + _("; figures of the closed month counted on %(when)s") % {"when": when}


def to_pdf(b: Bulletin) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import (
        LongTable,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        TableStyle,
    )

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title_style = ParagraphStyle("title", fontName=FONT, fontSize=17, leading=24, alignment=TA_CENTER)
    sub_style = ParagraphStyle(
        "sub", fontName=FONT, fontSize=9, leading=13, alignment=TA_CENTER, textColor=colors.grey
    )
    h_style = ParagraphStyle(
        "h", fontName=FONT, fontSize=12.5, leading=18, spaceBefore=8, spaceAfter=4, keepWithNext=1
    )
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=16, firstLineIndent=20, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=7.5, leading=9.5, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, alignment=TA_CENTER)

    page = landscape(A4)
    margin = 15 * mm
    usable = page[0] - 2 * margin
    out = io.BytesIO()
    with translation.override(LANGUAGE):
        doc = SimpleDocTemplate(
            out,
            pagesize=page,
            leftMargin=margin,
            rightMargin=margin,
            topMargin=margin,
            bottomMargin=margin,
            title=b.title,
            author="UrbanGrid",
        )

        def footer(canv, doc_):
            canv.saveState()
            canv.setFont(FONT, 8)
            canv.drawCentredString(page[0] / 2, 8 * mm, _("Page %(n)d") % {"n": doc_.page})
            canv.restoreState()

        story = [
            Paragraph(b.title, title_style),
            Paragraph(_made_by(b), sub_style),
            Spacer(1, 6 * mm),
            Paragraph(_("Overview"), h_style),
            Paragraph(_summary_text(b), body),
            Spacer(1, 3 * mm),
            _chart_flowable(_on_time_chart(b, usable)),
            Spacer(1, 3 * mm),
            _chart_flowable(
                bulletin_charts.types_and_channels(b.types, b.channels, usable, FONT), TYPES_FORM
            ),
        ]
        grid = TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 7.5),
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F8FC")]),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
        for n, kind in enumerate(KINDS, 1):
            columns = COLUMNS[kind]
            headers = [_("Rank"), _("Subject")]
            headers += [f"{label}(%)" if fmt == "%" else str(label) for _key, label, fmt in columns]
            headers += [_("Score"), _("Grade")]
            rows = [[Paragraph(h, head) for h in headers]]
            for item in b.rankings[kind]:
                grade = f"{item['grade']} {item['grade_label']}".strip()
                rows.append(
                    [item["rank"] or "—", Paragraph(item["subject"]["name"], cell)]
                    + [_fmt(item["indicators"].get(key), fmt) for key, _label, fmt in columns]
                    + [_fmt(item["score"], "score"), grade]
                )
            if len(rows) == 1:
                rows.append([_("No subjects in this period.")] + [""] * (len(headers) - 1))
            rank_w, name_w, score_w, grade_w = 28, 100, 40, 40
            rest = (usable - rank_w - name_w - score_w - grade_w) / len(columns)
            widths = [rank_w, name_w] + [rest] * len(columns) + [score_w, grade_w]
            table = LongTable(rows, colWidths=widths, repeatRows=1)
            style = TableStyle(grid.getCommands())
            style.add("ALIGN", (1, 1), (1, -1), "LEFT")
            if len(rows) == 2 and not b.rankings[kind]:
                style.add("SPAN", (0, 1), (-1, 1))
            table.setStyle(style)
            heading = Paragraph(
                _("%(n)d. Ranking of %(kind)s") % {"n": n, "kind": KIND_LABELS[kind]}, h_style
            )
            story += [heading, table, Spacer(1, 4 * mm)]
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
