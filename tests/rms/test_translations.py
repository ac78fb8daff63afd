"""The German catalogue is complete: every string marked for translation has a German text.

The customer portal and the emails to contacts are written in the contact's language (English or
German); a string missing from locale/de/LC_MESSAGES/django.po would show English on a German page.
Three checks: every entry of the catalogue is translated and none is fuzzy; the catalogue holds
exactly the strings makemessages finds in the code (run into a temporary copy of the project, so
the real catalogue is never touched); the compiled .mo (made by `make install`) is current.

Nothing is skipped: without GNU gettext these tests fail and say how to install it.
"""

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What makemessages must not read: the same as the command in the catalogue's header, and what
# is not source (the copy leaves the catalogue out, so it starts from nothing).
NOT_COPIED = (".venv", "var", "node_modules", ".git", "locale", "__pycache__", ".pytest_cache", ".ruff_cache")
NEEDS_GETTEXT = (
    "GNU gettext is not installed (no xgettext/msgfmt on PATH): the German catalogue cannot be "
    "checked or compiled. Run `make install` (it installs Debian's gettext), or `apt-get install gettext`."
)


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str | None = None
    msgstrs: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple:
        return (self.msgctxt, self.msgid, self.msgid_plural)


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file (the header included, obsolete `#~` entries left out)."""
    entries: list[Entry] = []
    entry, target = Entry(), None
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        # An entry ends at a blank line, or where the next one begins (its comments or msgid).
        starts_next = line.startswith(("#", "msgctxt ", "msgid ")) and bool(entry.msgstrs)
        if not line or starts_next:
            if target is not None:
                entries.append(entry)
            entry, target = Entry(), None
        if not line:
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, target, ast.literal_eval(line))
        else:
            keyword, _, text = line.partition(" ")
            target = keyword
            if keyword.startswith("msgstr"):
                entry.msgstrs.append("")
            _append(entry, target, ast.literal_eval(text))
    return entries


def _append(entry: Entry, target: str | None, text: str) -> None:
    if target == "msgctxt":
        entry.msgctxt = (entry.msgctxt or "") + text
    elif target in ("msgid", "msgid_plural"):
        setattr(entry, target, getattr(entry, target) + text)
    elif target and target.startswith("msgstr"):
        entry.msgstrs[-1] += text


def _require_gettext() -> None:
    if not (shutil.which("xgettext") and shutil.which("msgfmt") and shutil.which("msgmerge")):
        pytest.fail(NEEDS_GETTEXT)


def _label(entry: Entry) -> str:
    return repr(entry.msgid) + (f" (context {entry.msgctxt!r})" if entry.msgctxt is not None else "")


def test_every_german_entry_is_translated_and_none_is_fuzzy():
    assert CATALOGUE.exists(), f"{CATALOGUE} is missing"
    entries = parse_po(CATALOGUE)
    header = [entry for entry in entries if entry.msgid == "" and entry.msgctxt is None]
    assert header and "Language: de" in header[0].msgstrs[0], "the catalogue's header names no language"
    fuzzy = [_label(entry) or "the header" for entry in entries if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy entries (check the German and remove the flag): {fuzzy}"
    untranslated = [_label(entry) for entry in entries if entry.msgid and not all(entry.msgstrs)]
    assert not untranslated, f"entries without a German text: {untranslated}"


def test_the_catalogue_holds_every_string_the_code_marks_and_no_other(tmp_path):
    """makemessages over a copy of the project finds exactly the catalogue's strings."""
    _require_gettext()
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_COPIED), symlinks=True)
    (copy / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "rms.settings_test", "PYTHONPATH": str(copy)}
    env["RMS_VAR_DIR"] = str(tmp_path / "var")
    command = [sys.executable, "manage.py", "makemessages", "-l", "de", "--ignore=.venv", "--ignore=var"]
    done = subprocess.run(command, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"makemessages failed:\n{done.stdout}\n{done.stderr}"
    found = {entry.key for entry in parse_po(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")}
    kept = {entry.key for entry in parse_po(CATALOGUE)}
    missing = sorted(found - kept, key=str)
    assert not missing, (
        f"strings marked for translation but not in {CATALOGUE.relative_to(ROOT)} (run makemessages "
        f"as its header says, then translate them): {missing}"
    )
    stale = sorted(kept - found, key=str)
    assert not stale, f"catalogue entries no code uses any more (run makemessages --no-obsolete): {stale}"


def test_the_compiled_catalogue_is_current():
    """The .mo the site reads says what the .po says (`make install` compiles it)."""
    _require_gettext()
    assert COMPILED.exists(), f"{COMPILED.relative_to(ROOT)} is missing: run `make install` (compilemessages)"
    with COMPILED.open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    stale = []
    for entry in parse_po(CATALOGUE):
        if not entry.msgid:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            read = translations.ngettext(msgid, entry.msgid_plural, 1)
        else:
            read = translations.gettext(msgid)
        if read != entry.msgstrs[0]:
            stale.append(_label(entry))
    assert not stale, f"the compiled catalogue is older than the .po: run `make install` ({stale})"


@pytest.mark.django_db
def test_staff_pages_stay_english_whatever_the_browser_asks(client):
    """Only the customer portal and contacts' emails speak German (no LocaleMiddleware)."""
    page = client.get("/login/", headers={"accept-language": "de"}).content.decode()
    portal = client.get("/portal/sign-in/", headers={"accept-language": "de"}).content.decode()
    assert "Anmelden" not in page and 'lang="de"' not in page
    assert "Anmelden" in portal
