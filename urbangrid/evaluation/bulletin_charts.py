"""The bulletin PDF's second chart: the month's problem types (bars, most frequent first) beside
its channels (a pie), drawn with reportlab from `charts.problem_types` / `charts.channels`."""

from django.utils.translation import gettext as _

PALETTE = ["#3b7dd8", "#e03131", "#2f9e44", "#f08c00", "#7048e8", "#1098ad", "#d6336c", "#5c940d"]


def types_and_channels(types: list[dict], channels: list[dict], width: float, font: str):
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.piecharts import Pie
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    height = 230
    half = width / 2
    drawing = Drawing(width, height)
    for x, title in ((half / 2, _("Problem types of the cases filed")), (half * 1.5, _("Channels"))):
        drawing.add(String(x, height - 14, title, fontName=font, fontSize=11, textAnchor="middle"))
    if not types:
        drawing.add(
            String(half, height / 2, _("No cases filed."), fontName=font, fontSize=10, textAnchor="middle")
        )
        return drawing
    bars = HorizontalBarChart()
    bars.x, bars.y = 110, 20
    bars.width, bars.height = half - 140, height - 50
    rows = list(reversed(types))  # the most frequent at the top
    bars.data = [[t["value"] for t in rows]]
    bars.categoryAxis.categoryNames = [
        t["name"] if len(t["name"]) <= 9 else t["name"][:8] + "…" for t in rows
    ]
    bars.categoryAxis.labels.fontName, bars.categoryAxis.labels.fontSize = font, 7
    bars.categoryAxis.labels.boxAnchor = "e"
    bars.valueAxis.valueMin = 0
    bars.valueAxis.valueStep = max(1, -(-max(t["value"] for t in rows) // 5))  # whole cases
    bars.valueAxis.labels.fontSize = 7
    bars.bars[0].fillColor, bars.bars[0].strokeColor = colors.HexColor(PALETTE[0]), None
    bars.barLabelFormat = "%d"
    bars.barLabels.fontSize, bars.barLabels.boxAnchor, bars.barLabels.dx = 6, "w", 3
    drawing.add(bars)
    pie = Pie()
    size = min(half - 200, height - 60)
    pie.x, pie.y, pie.width, pie.height = half + (half - size) / 2, 20, size, size
    pie.data = [c["value"] for c in channels]
    total = sum(pie.data) or 1
    pie.labels = [f"{c['name']} {c['value']} ({100 * c['value'] / total:.1f}%)" for c in channels]
    pie.simpleLabels = False
    pie.sideLabels = True
    pie.slices.fontName, pie.slices.fontSize, pie.slices.strokeColor = font, 7, colors.white
    for n in range(len(channels)):
        pie.slices[n].fillColor = colors.HexColor(PALETTE[n % len(PALETTE)])
    drawing.add(pie)
    return drawing
