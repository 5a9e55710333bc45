"""Finding a type the way operators type it: by code, by Chinese name, or by pinyin —
full ("jinggai") or initials ("jg" finds 井盖, "ldyc" finds 路灯异常)."""

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=4096)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(initials, full pinyin) of a name, lower-case, non-Chinese characters kept as they are."""
    syllables = lazy_pinyin(name, errors=lambda chars: list(chars))
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables if s).lower()
    return initials, full


def matches(query: str, code: str, name: str) -> bool:
    q = query.strip().lower().replace(" ", "")
    if not q:
        return True
    if q in code or q in name.lower():
        return True
    initials, full = pinyin_keys(name)
    return q in initials or q in full
