import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ACTS = SHARED / "acts"


@pytest.fixture(scope="session")
def expertise_cmd():
    """The installed console script (the same one a user runs)."""
    exe = Path(sys.executable).with_name("expertise")
    if not exe.exists():
        pytest.fail("console script `expertise` is not installed in this environment")
    return str(exe)
