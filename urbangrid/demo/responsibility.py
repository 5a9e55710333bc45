"""Which of the county's departments answers for what.

`BY_SUGGESTION` maps the catalogue's suggested department (its `typical_department` column,
e.g. "供水企业") to the department that gets such cases by default; suggestions that mean the
territorial fallback (属地) map to nothing, so the grid's street answers.

`BY_TYPE` gives, for every component type the demo places, its 主管 (competent), 权属 (owner)
and 养护 (maintainer) departments, as GB/T 47678.5-2026 Table 2 asks. "@telecom" is one of the
three operators, "@street" / "@community" the body governing the component's grid, "" unknown
(an owner the county does not register, such as a shop owning its sign).
"""

BY_SUGGESTION = {
    "供水企业": "zls",
    "排水单位": "szgs",
    "供电企业": "gdgs",
    "路灯管理单位": "szgs",
    "通信运营商": "dx",
    "广电网络": "gdwl",
    "供热企业": "zjj",  # no district heating in this part of Henan; the housing bureau answers
    "燃气企业": "rqgs",
    "公安": "gaj",
    "消防/供水": "zls",
    "园林部门": "yls",
    "公安交管": "jjdd",
    "环卫/物业": "hws",
    "供水/排水": "zls",
    "公交企业": "gjgs",
    "管道企业": "rqgs",
    "权属单位": "cgzf",
    "水务": "slj",
    "城管/权属": "cgzf",
    "邮政": "yz",
    "体育部门": "jyty",
    "路灯/园林": "szgs",
    "城市照明": "szgs",
    "城市照明/权属": "szgs",
    "管廊运营单位": "zjj",
    "排水/市政": "szgs",
    "排水/水务": "slj",
    "城管": "cgzf",
    "交通运输/公安交管/市政": "jjdd",
    "环卫": "hws",
    "园林绿化部门": "yls",
    "房管": "zjj",
    "商务/权属": "swj",
    "文物部门": "wgl",
    "住建/城管执法/市政": "zjj",
    "公安交管/交通": "jjdd",
    "公安交管/城管": "jjdd",
    "卫健/生态环境": "wjw",
    "园林": "yls",
    "园林/公园管理": "yls",
    "园林执法": "cgzf",
    "城管/商户": "cgzf",
    "城管/属地": "cgzf",
    "城管/市政": "cgzf",
    "城管执法": "cgzf",
    "城管执法/属地": "cgzf",
    "城管执法/市政": "cgzf",
    "城管执法/水务": "cgzf",
    "城管执法/生态环境": "cgzf",
    "市政": "szgs",
    "市政/权属": "szgs",
    "市政道路": "szgs",
    "水务/执法": "slj",
    "水务/环卫": "slj",
    "水务/生态环境": "slj",
    "环卫/城管": "hws",
    "环卫/城管执法": "hws",
    "环卫/市政": "hws",
    "生态环境/公安/城管": "sthj",
    # Territorial: the street of the grid answers, so no default department.
    "属地街道": None,
    "属地/物业": None,
    "属地/权属": None,
}

_WATER_CO = ("zls", "zls", "zls")
_DRAINAGE = ("zjj", "zjj", "szgs")
_POWER = ("gdgs", "gdgs", "gdgs")
_LIGHTING = ("cgzf", "cgzf", "szgs")
_TELECOM = ("@telecom", "@telecom", "@telecom")
_GAS = ("rqgs", "rqgs", "rqgs")
_POLICE = ("gaj", "gaj", "gaj")
_TRAFFIC = ("jjdd", "jjdd", "jjdd")
_SANITATION = ("cgzf", "hws", "hws")
_GREEN = ("cgzf", "yls", "yls")
_CITY = ("cgzf", "cgzf", "cgzf")
_WATER = ("slj", "slj", "slj")
_ROADS = ("zjj", "zjj", "szgs")

BY_TYPE = {
    "01001": _WATER_CO,
    "01002": _DRAINAGE,
    "01003": _DRAINAGE,
    "01004": _DRAINAGE,
    "01005": _POWER,
    "01006": _LIGHTING,
    "01007": _TELECOM,
    "01008": ("gdwl", "gdwl", "gdwl"),
    "01009": _TELECOM,
    "01011": _GAS,
    "01012": _POLICE,
    "01013": ("xfjy", "zls", "zls"),
    "01015": _TRAFFIC,
    "01017": _POWER,
    "01018": ("hws", "@community", "hws"),
    "01027": _TELECOM,
    "01030": _POWER,
    "01031": _TELECOM,
    "01032": ("jtj", "gjgs", "gjgs"),
    "01035": ("cgzf", "@street", "@street"),
    "01037": _LIGHTING,
    "01038": _LIGHTING,
    "01039": _LIGHTING,
    "01040": _CITY,
    "01041": ("dx", "dx", "dx"),
    "01042": ("yz", "yz", "yz"),
    "01044": _CITY,
    "01045": ("cgzf", "", ""),
    "01046": ("jyty", "@community", "jyty"),
    "01047": _POWER,
    "01048": _POWER,
    "01049": _GAS,
    "01050": _POLICE,
    "01051": _POLICE,
    "01054": ("cgzf", "", ""),
    "01059": ("cgzf", "", ""),
    "01060": _LIGHTING,
    "01062": _TELECOM,
    "01064": ("wgl", "@street", "@street"),
    "01065": _CITY,
    "01066": _POLICE,
    "01067": _WATER,
    "01069": _WATER,
    "01070": _WATER,
    "01072": _DRAINAGE,
    "01073": ("slj", "zjj", "szgs"),
    "01075": ("cgzf", "", ""),
    "02001": ("jjdd", "", ""),
    "02003": _TRAFFIC,
    "02004": ("jtj", "gjgs", "gjgs"),
    "02009": _ROADS,
    "02010": _TRAFFIC,
    "02012": ("mzj", "mzj", "szgs"),
    "02014": _TRAFFIC,
    "02016": _TRAFFIC,
    "02017": _TRAFFIC,
    "02021": ("cgzf", "cgzf", "szgs"),
    "02023": _TRAFFIC,
    "02025": _CITY,
    "02027": _CITY,
    "02030": _WATER,
    "02034": _ROADS,
    "02038": _POLICE,
    "02043": _TRAFFIC,
    "03001": _SANITATION,
    "03002": _SANITATION,
    "03003": _SANITATION,
    "03004": _SANITATION,
    "03005": _SANITATION,
    "03006": ("cgzf", "", ""),
    "03007": ("cgzf", "", ""),
    "03008": _SANITATION,
    "03014": _SANITATION,
    "04001": _GREEN,
    "04002": _GREEN,
    "04003": _GREEN,
    "04005": _GREEN,
    "04006": _GREEN,
    "04007": _GREEN,
    "04010": _GREEN,
    "04011": _GREEN,
    "04013": _GREEN,
    "05003": ("swj", "", ""),
    "05009": ("wgl", "wgl", "wgl"),
}


def type_overrides() -> dict[str, str]:
    """Default departments per type where the catalogue's class-wide suggestion is too coarse:
    class 02 suggests the traffic police for every 交通设施, yet a broken bus shelter goes to
    the bus company and a missing door plate to the police station."""
    general = BY_SUGGESTION["交通运输/公安交管/市政"]
    return {
        code: maintainer
        for code, (_competent, _owner, maintainer) in BY_TYPE.items()
        if code.startswith("02") and maintainer and not maintainer.startswith("@") and maintainer != general
    }
