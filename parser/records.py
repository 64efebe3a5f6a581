"""Flat records (one dict per row, every field a column) and their DataFrame."""

from __future__ import annotations

from typing import Any


def to_dataframe(records: list[dict[str, Any]]) -> Any:
    """A pandas DataFrame of `records`; pandas is the optional `pandas` extra."""
    try:
        import pandas
    except ImportError as exc:
        raise ImportError(
            "to_dataframe() needs pandas: pip install 'disclosure-parser[pandas]'"
        ) from exc
    return pandas.DataFrame.from_records(records)
