"""Classify a column: field-name hints combined with the share of values that carry evidence.

Per category c, over the non-empty sampled values (n of them, k_c with evidence for c):

* **Evidence for one value** is `detect_value` (validated or label-anchored), plus, when the field name
  hints c and c has a loose value shape (person_name, date_of_birth, passport, street_address, and
  bare NANP digits for phone), that shape (`crmsec.pii.shapes`, `validators.bare_nanp_phone`).
* **Share** s_c = k_c / n. In a free-text column (mean value length >= 40) PII is sparse, so the share
  is rescaled: s_c = min(1, k_c / (0.1 n)).
* **Confidence** = 1 - (1 - q_c * s_c) * (1 - 0.3 * h_c), where h_c is 1 when the name hints c, and
  q_c is 0.95 for validated categories and 0.7 for weak ones. A validated column with a matching name
  scores about 0.97, the same column under an opaque name 0.95, a name alone 0.3.
* **Reported** when any of:
  1. the name hints c and k_c / n >= 0.2 (the values agree with the name);
  2. the name hints c and fewer than 5 non-empty values were seen (nothing can contradict the name):
     this is the low-confidence "name only" result, 0.3 for an empty column;
  3. k_c / n >= 0.6 (value evidence alone);
  4. the column is free text, k_c >= 3 and k_c / n >= 0.02 (sparse but validated PII).

A name hint that the values contradict (at least 5 values, under 20 % evidence) is not reported: such a
column is usually masked, hashed or mislabelled, and its counts still show what was seen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from crmsec.pii.categories import ORDER, VALIDATED, Category
from crmsec.pii.detector import find_spans
from crmsec.pii.hints import name_hints
from crmsec.pii.masking import mask
from crmsec.pii.shapes import address_shape, birth_date_shape, passport_shape, person_name_shape
from crmsec.pii.validators import bare_nanp_phone

NAME_WEIGHT = 0.3
VALIDATED_QUALITY = 0.95
WEAK_QUALITY = 0.7
AGREE_SHARE = 0.2
VALUE_SHARE = 0.6
FREE_TEXT_LENGTH = 40
FREE_TEXT_SHARE = 0.02
FREE_TEXT_MIN_HITS = 3
CONTRADICT_MIN_VALUES = 5
MAX_EXAMPLES = 3

_WEAK_SHAPES: dict[Category, Callable[[str], bool]] = {
    Category.PERSON_NAME: person_name_shape,
    Category.DATE_OF_BIRTH: birth_date_shape,
    Category.PASSPORT: passport_shape,
    Category.STREET_ADDRESS: address_shape,
    Category.PHONE: bare_nanp_phone,
}


@dataclass(frozen=True, slots=True)
class ColumnResult:
    """What one column holds: reported categories (sorted), their confidence, evidence counts and samples.

    `masked_examples` holds at most three masked values; raw values are never kept.
    """

    field: str
    categories: list[str]
    confidence: dict[str, float]
    counts: dict[str, int]
    sampled: int
    non_empty: int
    masked_examples: list[str]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping of every attribute."""
        return {
            "field": self.field,
            "categories": list(self.categories),
            "confidence": dict(self.confidence),
            "counts": dict(self.counts),
            "sampled": self.sampled,
            "non_empty": self.non_empty,
            "masked_examples": list(self.masked_examples),
        }


def evidence_categories(text: str, hints: set[Category] | frozenset[Category]) -> set[Category]:
    """The categories one value supports in a column whose name hints `hints` (see module docstring)."""
    found = {span.category for span in find_spans(text)}
    for category in hints:
        if category not in found and category in _WEAK_SHAPES and _WEAK_SHAPES[category](text):
            found.add(category)
    return found


class ColumnAccumulator:
    """Collects evidence for one column value by value, so files can be classified while streaming."""

    def __init__(self, field: str) -> None:
        self.field = field
        self.hints = frozenset(name_hints(field))
        self.counts: Counter[Category] = Counter()
        self.sampled = 0
        self.non_empty = 0
        self._length = 0
        self._examples: dict[Category, list[str]] = {}
        self._plain_examples: list[str] = []

    def add(self, value: str | None) -> None:
        """Count one sampled value (None and blank values count as sampled, not as non-empty)."""
        self.sampled += 1
        text = value.strip() if isinstance(value, str) else ""
        if not text:
            return
        self.non_empty += 1
        self._length += len(text)
        found = evidence_categories(text, self.hints)
        self.counts.update(found)
        for category in found:
            self._keep_example(self._examples.setdefault(category, []), text, category)
        self._keep_example(self._plain_examples, text, None)

    @staticmethod
    def _keep_example(examples: list[str], text: str, category: Category | None) -> None:
        if len(examples) < MAX_EXAMPLES:
            masked = mask(text, category)
            if masked not in examples:
                examples.append(masked)

    def result(self) -> ColumnResult:
        """Apply the decision rule and the confidence formula of the module docstring."""
        reported = [category for category in Category if self._reported(category)]
        reported.sort(key=lambda category: category.value)
        confidence = {category.value: self._confidence(category) for category in reported}
        counts = {category.value: self.counts[category] for category in sorted(self.counts, key=ORDER.__getitem__)}
        return ColumnResult(
            field=self.field,
            categories=[category.value for category in reported],
            confidence=confidence,
            counts=counts,
            sampled=self.sampled,
            non_empty=self.non_empty,
            masked_examples=self._pick_examples(reported),
        )

    def _free_text(self) -> bool:
        return self.non_empty > 0 and self._length / self.non_empty >= FREE_TEXT_LENGTH

    def _reported(self, category: Category) -> bool:
        hits, total = self.counts[category], self.non_empty
        share = hits / total if total else 0.0
        if category in self.hints and (total < CONTRADICT_MIN_VALUES or share >= AGREE_SHARE):
            return True
        if share >= VALUE_SHARE:
            return True
        return self._free_text() and hits >= FREE_TEXT_MIN_HITS and share >= FREE_TEXT_SHARE

    def _confidence(self, category: Category) -> float:
        hits, total = self.counts[category], self.non_empty
        share = hits / total if total else 0.0
        if self._free_text():
            share = min(1.0, hits / (0.1 * total))
        quality = VALIDATED_QUALITY if category in VALIDATED else WEAK_QUALITY
        named = NAME_WEIGHT if category in self.hints else 0.0
        return round(1 - (1 - quality * share) * (1 - named), 3)

    def _pick_examples(self, reported: list[Category]) -> list[str]:
        picked: list[str] = []
        for category in reported:
            for example in self._examples.get(category, []):
                if len(picked) < MAX_EXAMPLES and example not in picked:
                    picked.append(example)
        return picked or list(self._plain_examples)


def classify_column(field: str, values: Iterable[str | None]) -> ColumnResult:
    """Classify one column from its name and sampled values (None or blank values count as empty).

    The rule and the confidence formula are in the module docstring. Values are never kept; only
    masked examples are.
    """
    accumulator = ColumnAccumulator(field)
    for value in values:
        accumulator.add(value)
    return accumulator.result()
