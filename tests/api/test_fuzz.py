"""Schema-driven fuzzing (schemathesis) of a live server: no 5xx, responses match the schema.

Slow, so it runs only when selected: pytest -m fuzz -p no:xdist tests/api
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.fuzz, pytest.mark.timeout(1800)]
SCRIPT = Path(__file__).with_name("fuzz.sh")


def test_schemathesis_finds_no_failure():
    result = subprocess.run(
        ["bash", str(SCRIPT)], capture_output=True, text=True, timeout=1800,
        env={**os.environ, "PYTHON": sys.executable},
    )
    report = result.stdout[-6000:]
    assert result.returncode == 0, report + result.stderr[-3000:]
    assert "Server error" not in result.stdout
