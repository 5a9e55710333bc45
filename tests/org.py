"""A small county with a real organisation for case tests: a county government, the centre, the
municipal company under its own leadership, the sanitation office, the west street government;
one user per role, two supervisors (west, east) with their responsibility grids."""

from tests.factories import make_department, make_user
from urbangrid.accounts.models import Department
from urbangrid.catalog.models import CatalogType
from urbangrid.geo.models import ResponsibilityGrid


class Org:
    pass


def build_org(small_county) -> Org:
    o = Org()
    o.county = small_county
    K = Department.Kind
    o.county_gov = make_department("county_gov", "县人民政府", K.LEADERSHIP)
    o.centre = make_department("centre", "数字城管监督指挥中心", K.CENTRE, parent=o.county_gov)
    o.szgs_lead = make_department("szgs_lead", "市政公司领导班子", K.LEADERSHIP, parent=o.county_gov)
    o.szgs = make_department("szgs", "市政公司", K.ENTERPRISE, parent=o.szgs_lead)
    o.hws = make_department("hws", "环卫所", K.FUNCTIONAL, parent=o.county_gov)
    west, east = small_county["streets"]
    o.west_gov = make_department("street_w", "城西街道办事处", K.STREET, division=west)
    o.sup = make_user("supervisor", username="sup_w", department=o.centre, full_name="王监督")
    o.sup_e = make_user("supervisor", username="sup_e", department=o.centre, full_name="李监督")
    o.intake = make_user("intake", username="intake1", department=o.centre)
    o.intake2 = make_user("intake", username="intake2", department=o.centre)
    o.shift = make_user("shift_leader", username="shift1", department=o.centre)
    o.dispatcher = make_user("dispatcher", username="disp1", department=o.centre)
    o.dispatcher2 = make_user("dispatcher", username="disp2", department=o.centre)
    o.worker = make_user("disposer", username="szgs1", department=o.szgs)
    o.cleaner = make_user("disposer", username="hws1", department=o.hws)
    o.leader = make_user("leader", username="boss", department=o.county_gov)
    o.szgs_leader = make_user("leader", username="szgs_boss", department=o.szgs_lead)
    o.citizen = make_user("citizen", username="citizen1", phone="13812341234")
    grids = [g.code for g in small_county["grids"]]
    west_grids = [c for c in grids if c.startswith(west.code)]
    east_grids = [c for c in grids if c.startswith(east.code)]
    for code, name, codes, user in (
        ("RG-W", "城西责任网格", west_grids, o.sup),
        ("RG-E", "城东责任网格", east_grids, o.sup_e),
    ):
        rg = ResponsibilityGrid.objects.create(code=code, name=name, grid_codes=codes)
        rg.supervisors.set([user])
    manhole = CatalogType.objects.get(kind="matter", code="01001")
    manhole.default_department = o.szgs
    manhole.save()
    bins = CatalogType.objects.get(kind="matter", code="06010")
    bins.default_department = o.hws
    bins.save()
    # A point inside the west street's first grid, and one in the east street.
    o.west_point = (120.001, 30.009)
    o.east_point = (120.019, 30.001)
    return o
