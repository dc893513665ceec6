"""Benchmark crmsec.pii against the generated corpus, and Microsoft Presidio side by side on a subsample.

usage: python bench/pii/run.py DATA.csv TRUTH.jsonl [--presidio-rows 500] [--column-sample 1000] [--seed 0]

Measures, in one run and one process (one core):
  * cell level, per column: precision/recall of crmsec (a) value only (`detect_value`) and (b) with the
    column name (`evidence_categories`, what `classify_column` counts);
  * throughput: cells/s of both, and of `scan_file(sample=0)` end to end (CSV parsing included);
  * column level: `classify_column` on a random sample of rows under English, Chinese and opaque headers;
  * Presidio (pattern recognizers, `no_op` NLP engine, column name passed as context) against crmsec (b)
    on the first --presidio-rows rows: per-category F1 and throughput.
Times are CPU seconds of this single-threaded process (`time.process_time`), so other jobs on a shared
machine do not inflate them. Results print as Markdown; nothing is asserted. Never run by pytest.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import random
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from generate import ZH_HEADERS  # type: ignore[import-not-found]

from crmsec.pii import Category, classify_column, detect_value, name_hints, scan_file
from crmsec.pii.columns import evidence_categories

CATEGORIES = [category.value for category in Category]
PRESIDIO_MAP = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "CREDIT_CARD": "payment_card",
    "IBAN_CODE": "iban",
    "US_SSN": "us_ssn",
    "US_PASSPORT": "passport",
    "IP_ADDRESS": "ip_address",
    "DATE_TIME": "date_of_birth",
    "PERSON": "person_name",
    "LOCATION": "street_address",
}
Predictor = Callable[[str, str], set[str]]


def load(data: Path, truth: Path) -> tuple[list[str], list[list[str]], list[dict[str, list[str]]]]:
    with data.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)
    with truth.open(encoding="utf-8") as handle:
        truths = [json.loads(line) for line in handle]
    return header, rows, truths


def timed_predictions(
    header: list[str], rows: list[list[str]], predict: Predictor
) -> tuple[list[list[set[str]]], float]:
    start = time.process_time()
    predictions = [[predict(field, value) for field, value in zip(header, row, strict=True)] for row in rows]
    return predictions, time.process_time() - start


def scores(
    header: list[str], truths: list[dict[str, list[str]]], predictions: list[list[set[str]]]
) -> dict[str, Counter[str]]:
    """Counters keyed by column and by category: tp, fp, fn, flagged cells."""
    table: dict[str, Counter[str]] = {}
    for truth, predicted in zip(truths, predictions, strict=False):
        for field, found in zip(header, predicted, strict=True):
            expected = set(truth[field])
            for key in (f"column:{field}", *(f"category:{c}" for c in expected | found)):
                counter = table.setdefault(key, Counter())
                scope = expected if key.startswith("column:") else expected & {key[9:]}
                hits = found if key.startswith("column:") else found & {key[9:]}
                counter["tp"] += len(hits & scope)
                counter["fp"] += len(hits - scope)
                counter["fn"] += len(scope - hits)
                counter["flagged"] += bool(hits)
                counter["cells"] += key.startswith("column:")
    return table


def ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "–"


def f1(counter: Counter[str]) -> float:
    denominator = 2 * counter["tp"] + counter["fp"] + counter["fn"]
    return 2 * counter["tp"] / denominator if denominator else 1.0


def column_table(header: list[str], value_only: dict[str, Counter[str]], in_context: dict[str, Counter[str]]) -> None:
    print("| column | truth | value-only P / R | with column name P / R | cells flagged (value only / with name) |")
    print("|---|---|---|---|---|")
    for field in header:
        a, b = value_only[f"column:{field}"], in_context[f"column:{field}"]
        kind = "PII" if a["tp"] + a["fn"] else "decoy"
        print(
            f"| {field} | {kind} | {ratio(a['tp'], a['tp'] + a['fp'])} / {ratio(a['tp'], a['tp'] + a['fn'])} "
            f"| {ratio(b['tp'], b['tp'] + b['fp'])} / {ratio(b['tp'], b['tp'] + b['fn'])} "
            f"| {a['flagged']} / {b['flagged']} of {b['cells']} |"
        )


def category_table(named: dict[str, dict[str, Counter[str]]]) -> None:
    names = list(named)
    print("| category | " + " | ".join(f"{name} P / R / F1" for name in names) + " |")
    print("|---|" + "---|" * len(names))
    totals = {name: Counter() for name in names}
    for category in CATEGORIES:
        cells = []
        for name in names:
            counter = named[name].get(f"category:{category}", Counter())
            totals[name].update(counter)
            cells.append(
                f"{ratio(counter['tp'], counter['tp'] + counter['fp'])} / "
                f"{ratio(counter['tp'], counter['tp'] + counter['fn'])} / {f1(counter):.3f}"
            )
        print(f"| {category} | " + " | ".join(cells) + " |")
    print(
        "| **micro** | "
        + " | ".join(
            f"{ratio(t['tp'], t['tp'] + t['fp'])} / {ratio(t['tp'], t['tp'] + t['fn'])} / {f1(t):.3f}"
            for t in totals.values()
        )
        + " |"
    )


def column_level(
    header: list[str], rows: list[list[str]], truths: list[dict[str, list[str]]], size: int, seed: int
) -> None:
    picked = random.Random(seed).sample(range(len(rows)), min(size, len(rows)))
    variants = {
        "English headers": header,
        "Chinese headers": [ZH_HEADERS[f] for f in header],
        "opaque headers (c00..)": [f"c{i:02d}" for i in range(len(header))],
    }
    print(f"\nColumn level: `classify_column` on {len(picked)} random rows (seed {seed}).\n")
    print("| headers | columns right | (column, category) P / R | wrong columns |")
    print("|---|---|---|---|")
    for name, names in variants.items():
        tp = fp = fn = right = 0
        wrong = []
        for index, field in enumerate(header):
            expected = set().union(*(set(truths[i][field]) for i in picked))
            result = classify_column(names[index], (rows[i][index] for i in picked))
            found = set(result.categories)
            tp, fp, fn = tp + len(found & expected), fp + len(found - expected), fn + len(expected - found)
            if found == expected:
                right += 1
            else:
                wrong.append(f"{field}: {sorted(found)}")
        print(
            f"| {name} | {right}/{len(header)} | {ratio(tp, tp + fp)} / {ratio(tp, tp + fn)} "
            f"| {'; '.join(wrong) or '–'} |"
        )


def presidio_predictor() -> tuple[Predictor, str]:
    import tldextract  # imported here: optional `bench` extra
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    offline = tldextract.TLDExtract(suffix_list_urls=())  # bundled public-suffix list: no network fetch
    email_recognizer.tldextract.extract = offline  # type: ignore[attr-defined]
    configuration = {"nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "none"}]}
    engine = AnalyzerEngine(
        nlp_engine=NlpEngineProvider(nlp_configuration=configuration).create_engine(), supported_languages=["en"]
    )
    version = importlib.metadata.version("presidio-analyzer")

    def predict(field: str, value: str) -> set[str]:
        if not value.strip():
            return set()
        results = engine.analyze(value, language="en", context=field.replace("_", " ").split())
        return {PRESIDIO_MAP[result.entity_type] for result in results if result.entity_type in PRESIDIO_MAP}

    return predict, version


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("data", type=Path)
    parser.add_argument("truth", type=Path)
    parser.add_argument("--presidio-rows", type=int, default=500)
    parser.add_argument("--column-sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    header, rows, truths = load(arguments.data, arguments.truth)
    cells = len(rows) * len(header)
    hints = {field: frozenset(name_hints(field)) for field in header}

    def value_only(field: str, value: str) -> set[str]:
        return {category.value for category in detect_value(value)}

    def in_context(field: str, value: str) -> set[str]:
        return {category.value for category in evidence_categories(value, hints[field])} if value.strip() else set()

    predicted_a, seconds_a = timed_predictions(header, rows, value_only)
    predicted_b, seconds_b = timed_predictions(header, rows, in_context)
    start = time.process_time()
    scan_file(arguments.data, sample=0)
    seconds_scan = time.process_time() - start
    score_a, score_b = scores(header, truths, predicted_a), scores(header, truths, predicted_b)

    print(f"Corpus: {len(rows)} rows x {len(header)} columns = {cells} cells.\n")
    print("| run | CPU seconds | cells/s (one core) |\n|---|---:|---:|")
    for name, seconds in (
        ("crmsec detect_value (value only)", seconds_a),
        ("crmsec with column name (evidence_categories)", seconds_b),
        ("crmsec scan_file(sample=0), CSV parsing included", seconds_scan),
    ):
        print(f"| {name} | {seconds:.1f} | {cells / seconds:,.0f} |")
    print("\nCell level, per column (all rows):\n")
    column_table(header, score_a, score_b)
    print("\nCell level, per category (all rows):\n")
    category_table({"value only": score_a, "with column name": score_b})
    column_level(header, rows, truths, arguments.column_sample, arguments.seed)
    if arguments.presidio_rows:
        compare_presidio(header, rows[: arguments.presidio_rows], truths, in_context)


def compare_presidio(
    header: list[str], rows: list[list[str]], truths: list[dict[str, list[str]]], ours: Predictor
) -> None:
    predict, version = presidio_predictor()
    predict(header[0], "warm up john@example.com")
    cells = len(rows) * len(header)
    predicted_p, seconds_p = timed_predictions(header, rows, predict)
    predicted_c, seconds_c = timed_predictions(header, rows, ours)
    score_p, score_c = scores(header, truths, predicted_p), scores(header, truths, predicted_c)
    print(
        f"\nPresidio {version} (pattern recognizers, no_op NLP engine, column name as context) vs crmsec "
        f"on the first {len(rows)} rows ({cells} cells):\n"
    )
    print("| tool | CPU seconds | cells/s (one core) |\n|---|---:|---:|")
    print(f"| crmsec (with column name) | {seconds_c:.2f} | {cells / seconds_c:,.0f} |")
    print(f"| Presidio | {seconds_p:.2f} | {cells / seconds_p:,.0f} |")
    print(f"\nThroughput ratio crmsec / Presidio: {seconds_p / seconds_c:.0f}x\n")
    category_table({"crmsec": score_c, "Presidio": score_p})


if __name__ == "__main__":
    main()
