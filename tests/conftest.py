"""Shared test configuration: Hypothesis profiles and the location of the shared real data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"

settings.register_profile(
    "default", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile(
    "ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True,
    derandomize=True,
)
settings.load_profile(
    "ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "default")
)


def _shared_data() -> Path | None:
    candidates = [os.environ.get("EXPORTSCREEN_SHARED_DATA"), REPO.parent / "shared" / "data"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "SOURCES.md").is_file():
            return Path(candidate)
    return None


SHARED_DATA = _shared_data()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real public data set beside the repo (../shared/data), present in CI.

    Outside CI a checkout may not have it: those tests are skipped with a reason,
    and CI fails instead of skipping (see ``.ci/run``: EXPORTSCREEN_REQUIRE_SHARED_DATA=1).
    """
    if SHARED_DATA is None:
        if os.environ.get("EXPORTSCREEN_REQUIRE_SHARED_DATA"):
            pytest.fail("../shared/data is required here but was not found")
        pytest.skip("../shared/data (real public data) is not beside this checkout")
    return SHARED_DATA


def require(what: str, present: bool, env: str) -> None:
    """Skip a test whose real part (a browser, pyarrow, Spark) is missing on a developer's
    machine, and fail it where CI says the part must be there (``env`` set by .ci/run)."""
    if present:
        return
    if os.environ.get(env):
        pytest.fail(f"{what} is required here ({env} is set) but is missing")
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's real list cache from a test."""
    monkeypatch.setenv("EXPORTSCREEN_CACHE", str(tmp_path_factory.mktemp("cache")))
