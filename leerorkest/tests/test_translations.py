"""The Dutch catalogue is complete, covers every source string, and its compiled .mo is current.

Dutch is the default language, so a missing or fuzzy translation shows English to most users.
Regenerate and compile with:

    uv run leerorkest makemessages -l nl --no-obsolete --ignore=.venv --ignore=var \
        --ignore=tests --ignore=benchmarks
    uv run leerorkest compilemessages --ignore=.venv
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent
NL_DIR = PACKAGE_DIR / "locale" / "nl" / "LC_MESSAGES"
PO_PATH = NL_DIR / "django.po"
MO_PATH = NL_DIR / "django.mo"

# The same exclusions as the documented makemessages command.
IGNORED = (".venv", "var", "tests", "benchmarks")
# The files makemessages reads for the "django" domain.
SOURCE_SUFFIXES = (".py", ".html", ".txt")
DUTCH_PLURAL_FORMS = "nplurals=2; plural=(n != 1);"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _committed_po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _describe(key: tuple[str, str, str]) -> str:
    context, msgid, plural = key
    text = repr(msgid)
    if plural:
        text += f" / plural {plural!r}"
    if context:
        text += f" (context {context!r})"
    return text


def test_every_dutch_entry_is_translated():
    po = _committed_po()
    assert po.metadata.get("Language") == "nl"
    assert po.metadata.get("Plural-Forms") == DUTCH_PLURAL_FORMS
    assert not po.metadata_is_fuzzy, "the header of the nl catalogue is marked fuzzy"

    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        where = _describe(_key(entry))
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {where}")
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if sorted(forms) != [0, 1] or not all(forms.values()):
                problems.append(f"plural forms not all filled: {where}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {where}")
    assert not problems, "Dutch catalogue incomplete:\n" + "\n".join(problems)


def test_dutch_placeholders_match_english():
    problems = []
    for entry in _committed_po():
        if entry.obsolete:
            continue
        source = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            if set(PLACEHOLDER.findall(translation)) != source:
                problems.append(f"{entry.msgid!r} → {translation!r}")
    assert not problems, "placeholders differ from the English:\n" + "\n".join(problems)


def _copy_sources(destination: Path) -> None:
    """Copy what makemessages reads (and what settings need to import) into `destination`."""

    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = set()
        for name in names:
            path = Path(directory) / name
            if path.is_dir():
                if name in IGNORED or name.startswith(".") or name == "__pycache__":
                    skipped.add(name)
            elif not name.endswith(SOURCE_SUFFIXES):
                skipped.add(name)
        return skipped

    children = [child.name for child in PROJECT_DIR.iterdir()]
    for name in set(children) - ignore(str(PROJECT_DIR), children):
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=ignore)
        else:
            shutil.copy2(source, destination / name)


def test_catalogue_has_every_source_string(tmp_path):
    if shutil.which("xgettext") is None:
        message = "GNU gettext (xgettext) is not installed, so source strings cannot be extracted"
        if os.environ.get("REQUIRE_GETTEXT"):
            pytest.fail(message + " (REQUIRE_GETTEXT is set)")
        pytest.skip(message + "; set REQUIRE_GETTEXT to make this a failure")

    project = tmp_path / "project"
    project.mkdir()
    _copy_sources(project)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "leerorkest.settings",
        # Import the copy, so settings.LOCALE_PATHS points into it and the real catalogue stays put.
        "PYTHONPATH": str(project),
        "VAR_DIR": str(tmp_path / "var"),
    }
    ignores = [f"--ignore={name}" for name in IGNORED]
    result = subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", *ignores],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    extracted_path = project / "leerorkest" / "locale" / "nl" / "LC_MESSAGES" / "django.po"
    assert extracted_path.exists(), f"makemessages wrote no catalogue:\n{result.stdout}"
    extracted = {_key(e) for e in polib.pofile(str(extracted_path)) if not e.obsolete}
    committed = {_key(e) for e in _committed_po() if not e.obsolete}
    missing = sorted(extracted - committed)
    assert not missing, (
        "strings in the sources are missing from the nl catalogue; run makemessages, translate "
        "and compile:\n" + "\n".join(_describe(key) for key in missing)
    )


def _mo_contents(mo: polib.MOFile) -> dict:
    contents = {}
    for entry in mo:
        if entry.msgid_plural:
            contents[_key(entry)] = tuple(
                entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)
            )
        else:
            contents[_key(entry)] = entry.msgstr
    return contents


def test_compiled_catalogue_is_current(tmp_path):
    assert MO_PATH.exists(), f"{MO_PATH} is missing: run compilemessages"
    fresh_path = tmp_path / "django.mo"
    if shutil.which("msgfmt"):
        result = subprocess.run(
            ["msgfmt", "--check-format", "-o", str(fresh_path), str(PO_PATH)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, f"msgfmt rejects the nl catalogue:\n{result.stderr}"
    else:
        _committed_po().save_as_mofile(str(fresh_path))

    fresh = polib.mofile(str(fresh_path))
    committed = polib.mofile(str(MO_PATH))
    assert committed.metadata.get("Plural-Forms") == fresh.metadata.get("Plural-Forms")
    fresh_contents, committed_contents = _mo_contents(fresh), _mo_contents(committed)
    differing = sorted(
        key
        for key in fresh_contents.keys() | committed_contents.keys()
        if fresh_contents.get(key) != committed_contents.get(key)
    )
    assert not differing, (
        "django.mo is stale; run compilemessages. Differing entries:\n"
        + "\n".join(_describe(key) for key in differing)
    )


def test_login_page_is_dutch_by_default_and_english_on_request(client):
    dutch = client.get("/accounts/login/")
    assert dutch.status_code == 200
    assert '<html lang="nl">' in dutch.text
    assert "<h1>Inloggen</h1>" in dutch.text
    assert "Wachtwoord vergeten?" in dutch.text

    client.cookies["leerorkest_language"] = "en"
    english = client.get("/accounts/login/")
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert "<h1>Log in</h1>" in english.text
    assert "Forgot your password?" in english.text
