"""The sources file is checked against its schema: the file, the key and what it takes."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from typer.testing import CliRunner

from parser.cli import app
from parser.config import _KINDS, EdgarConfig, HttpConfig, Limits, load_config, parse_config
from parser.errors import ConfigError
from parser.rules import load_rules

runner = CliRunner()


@pytest.mark.parametrize(
    ("toml", "named", "expected"),
    [
        ('[http]\ntimeout = "fast"\n', "[http] timeout", "expected a number"),
        ("[http]\nretries = 1.5\n", "[http] retries", "expected a whole number"),
        ("[http]\nallow_private_networks = 1\n", "[http] allow_private_networks", "true or false"),
        ('[http]\ndeadline = "1m"\n', "[http] deadline", "expected a number"),
        ("[http]\ntimeout = true\n", "[http] timeout", "expected a number"),
        ("[http]\nbackoff = -2\n", "[http] backoff", "not below 0"),
        ("[http]\ntimout = 5\n", "[http] has no setting 'timout'", "did you mean timeout"),
        ('[edgar]\nforms = "8-K"\n', "[edgar] forms", "a list of strings"),
        ('[limits]\npdf_pages = "many"\n', "[limits] pdf_pages", "a whole number"),
        ('[[compnay]]\nticker = "RIOT"\n', "unknown table [[compnay]]", "did you mean company"),
        ('[[company]]\nticker = "RIOT"\nfeed = "x"\n', "[[company]] #1", "no setting 'feed'"),
        ('[[company]]\nname = "X"\ncik = "12a"\n', "[[company]] #1 cik", "a CIK"),
        ('[[company]]\nticker = "RIOT"\nedgar = "no"\n', "[[company]] #1 edgar", "true or false"),
        ("feeds = 3\n", "feeds = 3", "a list of strings"),
        ("[sources]\nx = 1\n", "unknown table [sources]", "[[company]]"),
    ],
)
def test_a_wrong_setting_names_file_key_and_expectation(
    tmp_path: Path, toml: str, named: str, expected: str
) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as raised:
        load_config(path, load_rules())
    message = str(raised.value)
    assert message.startswith(f"{path}: ")
    assert named in message and expected in message


@pytest.mark.parametrize("command", ["run", "fetch", "discover"])
def test_the_commands_exit_2_without_a_traceback(tmp_path: Path, command: str) -> None:
    path = tmp_path / "sources.toml"
    path.write_text('[http]\ntimeout = "fast"\n[[company]]\nticker = "RIOT"\n')
    output = [] if command == "discover" else ["-o", str(tmp_path / "out")]
    result = runner.invoke(app, [command, "--config", str(path), *output])
    assert result.exit_code == 2, result.output
    assert f"{path}: [http] timeout" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_valid_file_sets_every_table() -> None:
    config = parse_config(
        {
            "edgar": {"user_agent": "A a@example.com", "forms": ["8-K"], "rate_limit": 5},
            "http": {"timeout": 3, "deadline": 9.5, "allow_private_networks": True},
            "limits": {"text_chars": 1000, "pdf_pages": 10, "page_area": 1e6},
            "company": [{"ticker": "RIOT"}, {"name": "Example Mining", "cik": 123}],
            "feeds": ["https://example.com/rss"],
        },
        load_rules(),
    )
    assert config.edgar.forms == ("8-K",) and config.edgar.rate_limit == 5
    assert config.http.deadline == 9.5 and config.http.allow_private_networks is True
    assert config.limits == Limits(text_chars=1000, pdf_pages=10, page_area=1e6)
    assert [c.cik for c in config.companies][1] == "123"


def test_every_declared_setting_has_a_schema_kind() -> None:
    for table in (EdgarConfig, HttpConfig, Limits):
        for setting in fields(table):
            assert str(setting.type) in _KINDS, (table.__name__, setting.name, setting.type)
