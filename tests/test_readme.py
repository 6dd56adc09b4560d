"""The README stays true: every setting the code reads is in its table, and the two commands
come first."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_environment_variable_is_documented():
    code = (ROOT / "leerorkest" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|choice)\(\s*"([A-Z_]+)"', code))
    assert len(names) > 20
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert names - documented == set(), "settings missing from the README table"
    assert documented - names == set(), "README documents settings the code does not read"


def test_the_two_commands_come_first():
    head = (ROOT / "README.md").read_text().split("\n## ", 1)[0]
    assert "uv run leerorkest demo" in head
    assert "uv run pytest" in head
