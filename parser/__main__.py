"""`python -m parser` is the `disclosures` command."""

from parser.cli import app

app(prog_name="disclosures")
