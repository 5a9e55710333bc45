"""Reads the catalogue fixtures (see fixtures/README.md) and loads them into the database.

`load` takes the model classes as arguments so the data migration can pass its historical
models. It is idempotent: run again, it resets the shipped fields of the standard types and
leaves local types and the departments assigned to types alone.
"""

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from .attributes import validate_schema

FIXTURES = Path(__file__).resolve().parent / "fixtures"
CATALOGUE_FILE = FIXTURES / "catalogue-gb47678-5-2026.csv"
MAPPING_FILE = FIXTURES / "code-mapping-2013.csv"
LIMITS_FILE = FIXTURES / "time-limits.csv"
CONDITIONS_FILE = FIXTURES / "conditions.csv"
SCHEMAS_FILE = FIXTURES / "attribute-schemas.json"

# Component types of these classes have a same-code "‹component›异常" matter and share its defaults.
COMPONENT_MAJORS = frozenset({"01", "02", "03", "04", "05"})


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def catalogue_rows() -> list[dict]:
    return _rows(CATALOGUE_FILE)


def mapping_rows() -> list[dict]:
    return _rows(MAPPING_FILE)


def _kinds_for(code: str) -> tuple[str, ...]:
    return ("matter", "component") if code[:2] in COMPONENT_MAJORS else ("matter",)


def default_limits(types: list[tuple[str, str]]) -> dict[tuple[str, str], list[dict]]:
    """Time limits per (kind, code): a type's own rows replace its class rows urgency by urgency."""
    by_class: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    by_code: dict[tuple[str, str], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in _rows(LIMITS_FILE):
        limit = {
            "urgency": row["urgency"],
            "stage": int(row["stage"]),
            "stage_name": row["stage_name"],
            "value": Decimal(row["value"]),
            "unit": row["unit"],
        }
        for target in row["target"].split():
            table = by_class if len(target) == 2 else by_code
            for kind in _kinds_for(target):
                stages = table[(kind, target)][row["urgency"]]
                if any(s["stage"] == limit["stage"] for s in stages):
                    raise ValueError(f"{LIMITS_FILE.name}: stage {limit['stage']} twice for {kind} {target}")
                stages.append(limit)
    result = {}
    for kind, code in types:
        merged = dict(by_class.get((kind, code[:2]), {}))
        merged.update(by_code.get((kind, code), {}))
        result[(kind, code)] = [s for urgency in sorted(merged) for s in merged[urgency]]
    return result


def default_conditions() -> dict[tuple[str, str], tuple[str, str]]:
    result = {}
    for row in _rows(CONDITIONS_FILE):
        for code in row["target"].split():
            for kind in _kinds_for(code):
                result[(kind, code)] = (row["filing_condition"], row["closing_condition"])
    return result


def default_schemas() -> dict[str, list[dict]]:
    doc = json.loads(SCHEMAS_FILE.read_text(encoding="utf-8"))
    return {code: validate_schema(group["schema"]) for group in doc["schemas"] for code in group["targets"]}


def load(CatalogType, TimeLimit) -> int:
    """Create or refresh the standard types with their shipped defaults; returns the row count."""
    rows = catalogue_rows()
    old_codes = {(r["kind"], r["new_code"]): r["old_code"] for r in mapping_rows()}
    conditions = default_conditions()
    schemas = default_schemas()
    limits = default_limits([(r["kind"], r["code"]) for r in rows])
    for row in rows:
        key = (row["kind"], row["code"])
        filing, closing = conditions.get(key, ("", ""))
        obj, _ = CatalogType.objects.update_or_create(
            kind=row["kind"],
            code=row["code"],
            defaults={
                "name": row["name"],
                "major_code": row["major_code"],
                "major_name": row["major_name"],
                "typical_department": row["typical_department"],
                "code_2013": old_codes.get(key, ""),
                "filing_condition": filing,
                "closing_condition": closing,
                "attribute_schema": schemas.get(row["code"], []) if row["kind"] == "component" else [],
                "is_local_extension": False,
            },
        )
        TimeLimit.objects.filter(type=obj).delete()
        TimeLimit.objects.bulk_create([TimeLimit(type=obj, **limit) for limit in limits[key]])
    return len(rows)
