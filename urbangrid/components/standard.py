"""The 18 standard attributes of a component (GB/T 47678.5-2026 Table 2, standards.md §3.5),
their abbreviations, the standard's values for status and data source, and the column names
an import understands: our own, the standard's abbreviations and the 2013 exchange names.
"""

from dataclasses import dataclass

from .models import DataSource, Status

# The standard's words for the values; they are data exchanged with other platforms, so
# they stay Chinese whatever the user's language.
STATUS_GB = {
    Status.INTACT: "完好",
    Status.DAMAGED: "破损",
    Status.LOST: "丢失",
    Status.ABANDONED: "废弃",
    Status.REMOVED: "移除",
    Status.OCCUPIED: "占用",
}
DATA_SOURCE_GB = {
    DataSource.SURVEY: "实测",
    DataSource.TOPOGRAPHIC: "地形图",
    DataSource.BASE_GIS: "基础地理数据",
    DataSource.OTHER: "其他",
}
STATUS_BY_TEXT = {**{s.value: s.value for s in Status}, **{v: k.value for k, v in STATUS_GB.items()}}
DATA_SOURCE_BY_TEXT = {
    **{s.value: s.value for s in DataSource},
    **{v: k.value for k, v in DATA_SOURCE_GB.items()},
}


@dataclass(frozen=True)
class Attribute:
    abbr: str
    name: str  # the standard's field name
    required: str  # M mandatory, C conditional, O optional


TABLE_2 = (
    Attribute("GLBJBSM", "管理部件标识码", "M"),
    Attribute("GLBJMC", "管理部件名称", "M"),
    Attribute("ZGBMDM", "主管部门代码", "M"),
    Attribute("ZGBMMC", "主管部门名称", "M"),
    Attribute("QSDWDM", "权属单位代码", "O"),
    Attribute("QSDWMC", "权属单位名称", "O"),
    Attribute("YHDWDM", "养护单位代码", "O"),
    Attribute("YHDWMC", "养护单位名称", "O"),
    Attribute("SZDYWGBSM", "所在单元网格标识码", "M"),
    Attribute("GLBJZT", "管理部件状态", "M"),
    Attribute("CSRQ", "初始日期", "M"),
    Attribute("BGRQ", "变更日期", "C"),
    Attribute("SJLY", "数据来源", "O"),
    Attribute("BZ", "备注", "O"),
    Attribute("SZJDDM", "所在街道(镇、乡)代码", "O"),
    Attribute("SZJDMC", "所在街道(镇、乡)名称", "O"),
    Attribute("SZSQDM", "所在社区(村)代码", "O"),
    Attribute("SZSQMC", "所在社区(村)名称", "O"),
)


def department_ref(dept) -> str:
    """The standard identifies departments by 统一社会信用代码; ours may lack one."""
    return (dept.uscc or dept.code) if dept else ""


def standard_values(component, divisions: dict[str, str]) -> dict[str, str]:
    """{abbreviation: value} of one component; `divisions` maps street/community codes to names."""
    c = component

    def name(dept):
        return dept.name if dept else ""

    return {
        "GLBJBSM": c.code,
        "GLBJMC": c.type.name,
        "ZGBMDM": department_ref(c.competent_department),
        "ZGBMMC": name(c.competent_department),
        "QSDWDM": department_ref(c.owner_department),
        "QSDWMC": name(c.owner_department),
        "YHDWDM": department_ref(c.maintainer_department),
        "YHDWMC": name(c.maintainer_department),
        "SZDYWGBSM": c.grid_code,
        "GLBJZT": STATUS_GB.get(c.status, c.status),
        "CSRQ": c.initial_date.strftime("%Y%m%d") if c.initial_date else "",
        "BGRQ": c.change_date.strftime("%Y%m%d") if c.change_date else "",
        "SJLY": DATA_SOURCE_GB.get(c.data_source, c.data_source),
        "BZ": c.note,
        "SZJDDM": c.street_code,
        "SZJDMC": divisions.get(c.street_code, ""),
        "SZSQDM": c.community_code,
        "SZSQMC": divisions.get(c.community_code, ""),
    }


# Import columns → our field names. Keys are compared case-insensitively.
COLUMN_ALIASES = {
    "code": ("code", "GLBJBSM", "ObjID", "管理部件标识码"),
    "old_code": ("old_code", "code_2013", "旧标识码"),
    "type": ("type", "type_code", "部件类型", "小类代码"),
    "type_name": ("type_name", "GLBJMC", "ObjName", "管理部件名称"),
    "status": ("status", "GLBJZT", "ObjState", "管理部件状态"),
    "competent_department": ("competent_department", "ZGBMDM", "DeptCode1", "主管部门代码"),
    "owner_department": ("owner_department", "QSDWDM", "DeptCode2", "权属单位代码"),
    "maintainer_department": ("maintainer_department", "YHDWDM", "DeptCode3", "养护单位代码"),
    "initial_date": ("initial_date", "CSRQ", "ORDate", "初始日期"),
    "change_date": ("change_date", "BGRQ", "CHDate", "变更日期"),
    "data_source": ("data_source", "SJLY", "DataSource", "数据来源"),
    "note": ("note", "BZ", "Note", "备注"),
}
# Extension fields of the 2013 exchange that match our default attribute names.
ATTRIBUTE_ALIASES = {"material": "material", "objshape": "shape"}
# Columns derived from the position or from other columns: an import recomputes them, so
# a file exported here (or by another platform) imports again without complaint.
DERIVED_COLUMNS = frozenset(
    c.lower()
    for c in (
        "ZGBMMC",
        "QSDWMC",
        "YHDWMC",
        "SZDYWGBSM",
        "SZJDDM",
        "SZJDMC",
        "SZSQDM",
        "SZSQMC",
        "DeptName1",
        "DeptName2",
        "DeptName3",
        "BGID",
        "LocateDSC",
        "SetLoc",
        "PointX",
        "PointY",
        "grid_code",
        "street_code",
        "street_name",
        "community_code",
        "community_name",
        "competent_department_name",
        "owner_department_name",
        "maintainer_department_name",
        "fid",
        "id",
    )
)
