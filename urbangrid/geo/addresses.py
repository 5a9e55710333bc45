"""Chinese address text: the variants people type for the same place.

"人民路12号", "人民路十二号", "人民路１２号" (full-width), "人民路12", "人民12号" (no road
suffix) and "XX县城关街道人民路12号" (with the county and street in front) all name one door
plate; "人民大道12号" names another road. These helpers turn such text into comparable parts.
"""

import re
import unicodedata

from pypinyin import Style, lazy_pinyin

# Longest first, so "人民大道" loses "大道", not "道".
ROAD_SUFFIXES = ("大道", "大街", "胡同", "路", "街", "巷", "弄", "道")
NEARBY_WORDS = ("附近", "旁边", "周边", "对面", "门口", "一带", "边上", "旁")
_CHINESE_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "幺": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMERAL_CHARS = "".join(_CHINESE_DIGITS) + "".join(_CHINESE_UNITS)
_DOOR_NUMBER = re.compile(rf"^(\d+|[{_NUMERAL_CHARS}]+)(号|號|#)?")
# Hyphens stay: "12-3号" is door 12, flat 3, not door 123.
_NOISE = re.compile(r"[\s,，.。、:：;；()（）\[\]【】\"'“”‘’·_]+")


def normalize(text: str) -> str:
    """Full-width letters and digits become ASCII (NFKC), spaces and punctuation go."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", text or ""))


def chinese_number(text: str) -> int | None:
    """十二 → 12, 一百零五 → 105, 二十 → 20, 一二 → 12 (read digit by digit)."""
    if not text or any(ch not in _CHINESE_DIGITS and ch not in _CHINESE_UNITS for ch in text):
        return None
    if all(ch in _CHINESE_DIGITS for ch in text):
        return int("".join(str(_CHINESE_DIGITS[ch]) for ch in text))
    total = current = 0
    for ch in text:
        if ch in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[ch]
        else:
            total += (current or 1) * _CHINESE_UNITS[ch]
            current = 0
    return total + current


def door_number(rest: str) -> int | None:
    """The door number at the start of what follows a road name: "12号", "十二号", "12"."""
    m = _DOOR_NUMBER.match(rest)
    if not m:
        return None
    raw = m.group(1)
    number = int(raw) if raw.isdigit() else chinese_number(raw)
    return number if number else None


def split_suffix(name: str) -> tuple[str, str]:
    """("人民", "路") for 人民路; (name, "") when the name has no road suffix or is only one."""
    for suffix in ROAD_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)], suffix
    return name, ""


def strip_nearby(text: str) -> str:
    """ "人民医院附近" → "人民医院": the words that say "near" add nothing to the search."""
    for word in NEARBY_WORDS:
        if text.endswith(word) and len(text) > len(word):
            return text[: -len(word)]
    return text


def doorplate_name(road: str, number: int) -> str:
    return f"{road}{number}号"


def _fuzzy(syllable: str) -> str:
    """Fold the sounds pinyin input methods let users confuse (their "模糊音" settings):
    zh/z, ch/c, sh/s, n/l at the start, and -ng/-n at the end."""
    for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(retroflex):
            syllable = flat + syllable[2:]
    if syllable.startswith("l"):
        syllable = "n" + syllable[1:]
    if syllable.endswith("ng"):
        syllable = syllable[:-1]
    return syllable


def syllables(text: str) -> list[str]:
    """One toneless, fuzzy pinyin syllable per character (other characters stay as they
    are), so a near-homophone typed with a pinyin input method ("人名路" for "人民路")
    still matches."""
    # The whole text at once, so phrases pick the right reading of polyphones (重庆 chong).
    out = lazy_pinyin(text, style=Style.NORMAL, errors=list)
    if len(out) != len(text):  # characters pypinyin reads as several syllables
        out = [(lazy_pinyin(ch, style=Style.NORMAL, errors=list) or [ch])[0] for ch in text]
    return [_fuzzy(s) for s in out]


def find_syllables(haystack: list[str], needle: list[str]) -> int:
    """Position (in characters) of `needle` in `haystack`, or -1."""
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


def bigram_similarity(a: str, b: str) -> float:
    """Dice coefficient of character bigrams: 1 for equal texts, 0 for nothing in common."""
    if a == b:
        return 1.0
    grams_a = {a[i : i + 2] for i in range(len(a) - 1)} or {a}
    grams_b = {b[i : i + 2] for i in range(len(b) - 1)} or {b}
    return 2 * len(grams_a & grams_b) / (len(grams_a) + len(grams_b))
