"""The default scoring schemes of CJ/T 292 / GB/T 30428.4 as documented in
shared/reference/standards.md §5. The data migration loads these rows; `scoring` falls back to
them only when no row exists for a subject kind (e.g. after a transactional test's flush).

Weights are relative: a score is the weighted mean of the indicator scores that could be computed
(Σ wᵢ·sᵢ / Σ wᵢ), so a scheme whose weights do not add up to 100 still gives 0–100.
"""

SUBJECT_KINDS = ("department", "street", "community", "supervisor", "intake", "shift_leader", "dispatcher")

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

# Count indicators scored by bands: [lowest count, score], highest first; below the last band 0.
# §5.2 gives the 受理数分值 bands of one public implementation — a local choice [I], not the
# standard's: > 2000 → 100; 1201–2000 → 90; 501–1200 → 75; 301–500 → 60; otherwise 0. No source
# gives the 派遣数分值 curve (§5.4); the same bands are assumed [I].
COUNT_BANDS = [[2001, 100], [1201, 90], [501, 75], [301, 60]]
SCORED_COUNTS = {"accepted": COUNT_BANDS, "dispatched": COUNT_BANDS}

DEFAULTS.update(
    {
        "intake": {
            # §5.2: 受理数分值 25 %, 核实按时派发率 40 %, 核查按时派发率 35 % [V S3].
            "weights": {"accepted": 25, "on_time_verify_send_rate": 40, "on_time_check_send_rate": 35},
            "note": (
                "§5.2 weights as published. The 受理数 score bands (> 2000 → 100, 1201–2000 → 90, "
                "501–1200 → 75, 301–500 → 60, otherwise 0) are one local implementation's [I], "
                "not the standard's. 核实按时派发 = the operator's 受理 steps that sent a 核实, "
                "finished within the 受理 limit; 核查按时派发 = cases awaiting 核查 to which the "
                "operator sent a supervisor by hand within the 核查 step's deadline."
            ),
        },
        "shift_leader": {
            # §5.3: 按时立案率 25 %, 准确立案率 40 %, 按时结案率 35 % [V S3].
            "weights": {"on_time_filing_rate": 25, "accurate_filing_rate": 40, "on_time_closing_rate": 35},
            "note": (
                "§5.3 weights as published. 准确立案率 = (立案数 − 作废数) / 立案数, where 作废数 "
                "counts the cases the shift leader filed that were later cancelled."
            ),
        },
        "dispatcher": {
            # §5.4: 派遣数分值 20 %, 按时派遣率 40 %, 准确派遣率 40 % [V S3].
            "weights": {"dispatched": 20, "on_time_dispatch_rate": 40, "accurate_dispatch_rate": 40},
            "note": (
                "§5.4 weights as published. No source gives the 派遣数 score curve; the 受理数 "
                "bands of §5.2 (a local implementation's [I]) are assumed. 准确派遣率 = (派遣数 − "
                "回退数) / 派遣数: a dispatch the department returned as not theirs was wrong."
            ),
        },
    }
)

# Indicators where lower is better: their score is 100 − value (§5.1 漏报率, §5.5 监督举报率,
# §5.6 返工率).
LOWER_IS_BETTER = frozenset({"rework_rate", "public_share", "missed_rate"})
