"""Values are matched whole: a trailing newline or space never slips through (issue 14, item 2)."""

from __future__ import annotations

import pytest

from corridors.timeline import parse_partial_date
from corridors.vocab import is_valid_id as is_id


@pytest.mark.parametrize("value", ["2023-01-01\n", "2023\n", "2023-01\n", " 2023", "2023 "])
def test_dates_with_trailing_whitespace_are_rejected(value):
    with pytest.raises(ValueError, match="date must look like"):
        parse_partial_date(value)


@pytest.mark.parametrize("value", ["cpec-ml1\n", "cpec-ml1 ", "\ncpec-ml1"])
def test_ids_with_whitespace_are_not_ids(value):
    assert not is_id(value)
    assert is_id(value.strip())
