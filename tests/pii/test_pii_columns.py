"""classify_column: value evidence, name hints, the name-only rule, confidence and masked examples."""

from __future__ import annotations

from crmsec.pii import classify_column

PHONES = ["+86 138 0013 8000", "13900139000", "(415) 867-5309", "+44 20 7946 0958", "138-0013-8001"] * 4


def test_values_alone_classify_an_opaque_column() -> None:
    result = classify_column("c07", PHONES)
    assert result.categories == ["phone"]
    assert result.counts == {"phone": 20}
    assert result.sampled == result.non_empty == 20
    assert 0.9 <= result.confidence["phone"] < 1.0


def test_matching_name_raises_confidence() -> None:
    named, opaque = classify_column("mobile", PHONES), classify_column("c07", PHONES)
    assert named.confidence["phone"] > opaque.confidence["phone"]


def test_name_only_on_an_empty_column_is_low_confidence() -> None:
    result = classify_column("email", [None, "", "  "])
    assert result.categories == ["email"]
    assert result.confidence == {"email": 0.3}
    assert (result.sampled, result.non_empty) == (3, 0)
    assert result.masked_examples == []


def test_values_contradicting_the_name_are_not_reported() -> None:
    result = classify_column("email", ["n/a", "unknown", "none", "-", "tbd", "later"])
    assert result.categories == []


def test_weak_categories_need_the_name() -> None:
    names = ["张伟", "Jane Doe", "王芳", "John Smith", "李娜", "Maria Garcia"] * 3
    assert classify_column("full_name", names).categories == ["person_name"]
    assert classify_column("c03", names).categories == []
    dates = ["1984-07-21", "1990-01-02", "1975-12-30", "1969-03-04", "2001-11-11"] * 4
    assert classify_column("birth_date", dates).categories == ["date_of_birth"]
    assert classify_column("order_date", dates).categories == []


def test_decoys_are_not_classified() -> None:
    decoys = {
        "order_no": [f"SO-2024-{n:06d}" for n in range(30)],
        "tracking_no": [f"{4000000000000000 + n * 7919}" for n in range(30) if n % 10],
        "created_at": [f"2024-05-{n % 28 + 1:02d} 10:20:30" for n in range(30)],
        "amount": [f"{n * 1234.5:,.2f}" for n in range(30)],
        "stage": ["Closed Won", "Closed Lost", "Prospecting"] * 10,
    }
    for field, values in decoys.items():
        result = classify_column(field, values)
        assert result.categories == [], (field, result)


def test_free_text_with_sparse_validated_pii() -> None:
    notes = ["Follow up next quarter on the renewal, budget approved by finance."] * 90
    notes += [f"Prefers a call on +86 138 0013 80{n:02d} after 5pm, not before." for n in range(10)]
    result = classify_column("notes", notes)
    assert result.categories == ["phone"]
    assert result.counts == {"phone": 10}


def test_masked_examples_never_hold_raw_values() -> None:
    values = ["jane.doe@example.com", "zhang.wei@example.cn", "li.na@example.org", "bob@example.net"]
    result = classify_column("email", values)
    assert len(result.masked_examples) == 3
    assert not set(result.masked_examples) & set(values)
    assert all("***" in example for example in result.masked_examples)


def test_result_is_sorted_and_serializable() -> None:
    result = classify_column("contact", ["姓名：张伟 手机13800138000"] * 10)
    assert result.categories == sorted(result.categories)
    assert result.to_json()["categories"] == result.categories
