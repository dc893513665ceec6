"""PII detection for CRM data: validated value detectors, field-name hints and column classification.

Public API (stable; other modules and third-party checks call it):

- `detect_value(text)`: validated categories in one value.
- `name_hints(field_name)`: categories a field name suggests (English and Chinese).
- `classify_column(field, values)`: a `ColumnResult` from a name and sampled values.
- `scan_file(path, sample=1000, seed=0)`: classify every column of a CSV or JSON-lines export.

Masking lives in `crmsec.redaction.mask`. Nothing here does network I/O or keeps raw values.
"""

from __future__ import annotations

from crmsec.pii.categories import Category
from crmsec.pii.columns import ColumnResult, classify_column
from crmsec.pii.detector import detect_value
from crmsec.pii.files import scan_file
from crmsec.pii.hints import name_hints

__all__ = ["Category", "ColumnResult", "classify_column", "detect_value", "name_hints", "scan_file"]
