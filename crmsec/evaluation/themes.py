"""Survey comment themes by keyword counts (English and Chinese), with no model and no free text in output.

A comment counts once per theme when it contains any of the theme's keywords (case-insensitive).
`examples` lists the keywords that matched most often: words from the vocabulary below, never the
respondents' own text, so the report carries no personal data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from crmsec.vocabulary import JsonValue

THEMES: dict[str, tuple[str, ...]] = {
    "complexity": ("complex", "complicated", "confusing", "hard to use", "difficult", "too many clicks",
                   "复杂", "难用", "繁琐", "不好用", "操作麻烦"),
    "performance": ("slow", "lag", "loading", "freez", "timeout", "慢", "卡顿", "加载"),
    "security": ("security", "secure", "privacy", "leak", "breach", "安全", "隐私", "泄露"),
    "training": ("training", "tutorial", "documentation", "onboarding", "培训", "教程", "文档"),
    "mobile": ("mobile", "phone app", "tablet", "offline", "手机", "移动端", "离线"),
    "data_quality": ("duplicate", "outdated", "wrong data", "missing data", "inaccurate",
                     "重复", "过时", "数据错误", "数据不全"),
    "integration": ("integration", "sync", "erp", "outlook", "集成", "同步", "对接"),
    "positive": ("easy", "helpful", "useful", "great", "love", "saves time",
                 "方便", "好用", "满意", "提高效率", "节省时间"),
}  # fmt: skip
"""Theme -> keywords. `positive` is reported but is not a concern."""

CONCERNS: tuple[str, ...] = tuple(theme for theme in THEMES if theme != "positive")
MAX_EXAMPLES = 3


def summarize(comments: Sequence[str]) -> dict[str, dict[str, JsonValue]]:
    """`{theme: {count, share, examples}}` over non-empty comments; share is a percent of those comments."""
    texts = [comment.lower() for comment in comments if comment and comment.strip()]
    summary: dict[str, dict[str, JsonValue]] = {}
    for theme, keywords in THEMES.items():
        matched: Counter[str] = Counter()
        count = 0
        for text in texts:
            hits = [keyword for keyword in keywords if keyword in text]
            if hits:
                count += 1
                matched.update(hits)
        summary[theme] = {
            "count": count,
            "share": round(100.0 * count / len(texts), 1) if texts else 0.0,
            "examples": [keyword for keyword, _ in sorted(matched.items(), key=lambda kv: (-kv[1], kv[0]))][
                :MAX_EXAMPLES
            ],
        }
    return summary
