"""The `disclosures` command: formats, output folder, stdin, broken documents, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.output import validate
from tests.conftest import CORPUS

runner = CliRunner()
SEMLER = CORPUS / "semler-purchase-markdown" / "raw.md"
RIOT = CORPUS / "riot-8k-exhibit-production" / "raw.htm"


def test_jsonl_prints_one_valid_object_per_document() -> None:
    result = runner.invoke(app, ["extract", str(SEMLER), str(RIOT)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    for payload in lines:
        validate(payload)
    purchased = [f for f in lines[0]["facts"] if f["type"] == "btc_purchased"]
    assert purchased[0]["value"] == 237 and purchased[0]["cost_usd"] == 23_300_000


def test_folder_is_read_recursively_and_json_is_one_array() -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "--format", "json"])
    assert result.exit_code == 0, result.output
    payloads = json.loads(result.stdout)
    assert len(payloads) == len([p for p in CORPUS.iterdir() if p.is_dir()])


def test_table_format_lists_facts() -> None:
    result = runner.invoke(app, ["extract", str(SEMLER), "--format", "table"])
    assert result.exit_code == 0
    assert "btc_purchased" in result.stdout and "237 BTC" in result.stdout


def test_output_folder_gets_one_pretty_file_per_document(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(CORPUS), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    files = sorted((tmp_path / "out").glob("*.json"))
    assert len(files) == len([p for p in CORPUS.iterdir() if p.is_dir()])
    assert not list((tmp_path / "out").glob(".*tmp"))
    payload = json.loads((tmp_path / "out" / "semler-purchase-markdown__raw.md.json").read_text())
    validate(payload)
    assert (
        (tmp_path / "out" / "semler-purchase-markdown__raw.md.json").read_text().startswith("{\n  ")
    )


def test_stdin() -> None:
    result = runner.invoke(app, ["extract", "-"], input=SEMLER.read_bytes())
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["document"]["source"] == "<stdin>"
    assert {f["type"] for f in payload["facts"]} == {"btc_purchased", "btc_holdings"}


def test_broken_document_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    (tmp_path / "a-broken.pdf").write_bytes(b"%PDF-1.7 truncated garbage")
    (tmp_path / "b-empty.txt").write_bytes(b"")
    (tmp_path / "c-good.md").write_bytes(SEMLER.read_bytes())
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    payloads = [json.loads(line) for line in result.stdout.splitlines()]
    assert [p["document"]["source"].rsplit("/", 1)[-1] for p in payloads] == [
        "a-broken.pdf",
        "b-empty.txt",
        "c-good.md",
    ]
    for payload in payloads:
        validate(payload)
    assert payloads[0]["errors"][0]["code"] == "load.pdf_broken"
    assert payloads[1]["errors"][0]["code"] == "load.empty"
    assert payloads[2]["errors"] == [] and payloads[2]["facts"]
    assert "a-broken.pdf" in result.stderr and "Traceback" not in result.output


def test_missing_path_is_an_error_not_a_traceback() -> None:
    result = runner.invoke(app, ["extract", "does/not/exist.html"])
    assert result.exit_code == 1
    assert "does/not/exist.html" in result.stderr
    assert json.loads(result.stdout)["errors"][0]["code"] == "load.not_found"


def test_bad_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["extract", str(SEMLER), "--format", "xml"])
    assert result.exit_code == 2
    assert "--format" in result.stderr


def test_bad_rules_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["extract", str(SEMLER), "--rules", str(tmp_path)])
    assert result.exit_code == 2
    assert "companies.yaml" in result.stderr


def test_include_text() -> None:
    result = runner.invoke(app, ["extract", str(SEMLER), "--include-text"])
    payload = json.loads(result.stdout)
    for fact in payload["facts"]:
        for evidence in fact["evidence"]:
            assert (
                payload["document"]["text"][evidence["start"] : evidence["end"]] == evidence["text"]
            )


def test_schema_command_prints_the_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "disclosure-facts/1"


@pytest.mark.parametrize(
    "command", [c.callback.__name__ for c in app.registered_commands if c.callback]
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) > 3


def test_version() -> None:
    from parser import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"disclosures {__version__}"


def test_workers_give_the_same_output_in_the_same_order() -> None:
    one = runner.invoke(app, ["extract", str(CORPUS)])
    two = runner.invoke(app, ["extract", str(CORPUS), "--workers", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_same_file_names_from_two_folders_do_not_overwrite(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "release.md").write_bytes(SEMLER.read_bytes() + folder.encode())
    result = runner.invoke(
        app,
        [
            "extract",
            str(tmp_path / "a" / "release.md"),
            str(tmp_path / "b" / "release.md"),
            "-o",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0
    assert len(list((tmp_path / "out").glob("*.json"))) == 2
