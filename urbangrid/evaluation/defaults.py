"""The default scoring schemes of CJ/T 292 / GB/T 30428.4 as documented in
shared/reference/standards.md §5. The data migration loads these rows; `scoring` falls back to
them only when no row exists for a subject kind (e.g. after a transactional test's flush).

Weights are relative: a score is the weighted mean of the indicator scores that could be computed
(Σ wᵢ·sᵢ / Σ wᵢ), so a scheme whose weights do not add up to 100 still gives 0–100.
"""

SUBJECT_KINDS = ("department", "street", "community", "supervisor")

# §5.7: grade A from 90, B from 75, C from 60, D from 40, E below. Labels (优/良/中/差) are a
# local choice [I].
BANDS = [["A", 90], ["B", 75], ["C", 60], ["D", 40], ["E", 0]]
LABELS = {"A": "优", "B": "良", "C": "中", "D": "差", "E": "差"}

AREA_WEIGHTS = {
    # §5.5: 监督举报率分值 10 %, 立案数分值 20 %, 结案率 30 %, 按期结案率 w (source: 10 % "todo";
    # 40 % is the likely intended value [I]). No source gives the 立案数 score curve, so its
    # weight is 0 until set locally.
    "public_share": 10,
    "filed": 0,
    "closure_rate": 30,
    "on_time_closure_rate": 40,
}
AREA_NOTE = (
    "§5.5: the weight of 按期结案率 is 10 % (marked todo) in the only source; 40 % is assumed. "
    "No source defines the 立案数 score curve, so 立案数 has weight 0 here. See standards.md §8."
)

DEFAULTS = {
    "department": {
        # §5.6: no weights were found in any source; 30/50/20 is the documented default [I].
        "weights": {"disposal_rate": 30, "on_time_rate": 50, "rework_rate": 20},
        "note": (
            "§5.6 / §8: no official weights for the 专业部门 evaluation were found; "
            "处置率 30 %, 按期处置率 50 %, (100 − 返工率) 20 % is an assumed default."
        ),
    },
    "street": {"weights": AREA_WEIGHTS, "note": AREA_NOTE},
    "community": {"weights": AREA_WEIGHTS, "note": AREA_NOTE},
    "supervisor": {
        # §5.1: 有效上报率 40 %, 漏报率分值 20 %, 按时核实率 20 %, 按时核查率 20 % [V S3].
        "weights": {"valid_rate": 40, "missed_rate": 20, "on_time_verify_rate": 20, "on_time_check_rate": 20},
        "note": (
            "§5.1 weights as published. 漏报数 is approximated by public reports the supervisor "
            "confirmed on the spot (the problem was in the supervisor's grid but reported by others)."
        ),
    },
}

# Indicators where lower is better: their score is 100 − value (§5.1 漏报率, §5.5 监督举报率,
# §5.6 返工率).
LOWER_IS_BETTER = frozenset({"rework_rate", "public_share", "missed_rate"})
