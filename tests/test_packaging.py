"""A non-editable install, run from another folder, still finds its bundled rules."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    return next(out.glob("disclosure_parser-*.whl"))


def test_wheel_ships_rules_and_schema(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "parser/rules/companies.yaml" in names
    assert "parser/rules/btc/patterns.jsonl" in names
    assert "parser/schema.json" in names


def test_installed_package_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    script = (
        "import parser, json;"
        "from parser.rules import default_rules_dir;"
        "r = parser.extract('Riot Platforms, Inc. mined 450 BTC in June 2025.');"
        "print(json.dumps([parser.__file__, str(default_rules_dir()), [f.type for f in r.facts]]))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("DISCLOSURES_RULES", None)
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    module, rules, types = __import__("json").loads(done.stdout)
    assert module.startswith(str(target))
    assert rules.startswith(str(target))
    assert types == ["btc_produced"]
