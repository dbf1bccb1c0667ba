"""Contract casting for the join marts: the clean steps' ``conform``, fed object columns.

pandas 3 keeps strings in Arrow arrays; ``conform`` walks string columns value by value, which is
~10x slower over an Arrow array than over a NumPy object array. Converting first is vectorised."""
from __future__ import annotations

import pandas as pd

from pipelines.clean.frames import conform as _conform
from pipelines.schema import Table


def conform(df: pd.DataFrame, table: Table) -> pd.DataFrame:
    df = df.copy()
    for column in df.columns:
        if isinstance(df[column].dtype, pd.StringDtype):
            df[column] = df[column].astype(object)
    return _conform(df, table)
