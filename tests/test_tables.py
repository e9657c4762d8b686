"""The Core clauses of ``postlink.tables`` name only what the models define, with their types.

The quick commands read through those clauses (issue 15 §2); the models remain the schema,
so a renamed or retyped column must fail here rather than in a monitoring check.
"""

from __future__ import annotations

import pytest
from sqlalchemy import TableClause
from sqlmodel import SQLModel

import postlink.models  # noqa: F401  registers every table on SQLModel.metadata
from postlink import tables


@pytest.mark.parametrize("clause", tables.ALL, ids=lambda clause: clause.name)
def test_each_column_is_the_models_column_with_its_type(clause: TableClause) -> None:
    model = SQLModel.metadata.tables[clause.name]
    for column in clause.columns:
        assert column.name in model.columns, f"{clause.name}.{column.name} is not in the model"
        defined = model.columns[column.name].type
        assert isinstance(column.type, type(defined)), (
            f"{clause.name}.{column.name}: {column.type!r} here, {defined!r} in the model"
        )
