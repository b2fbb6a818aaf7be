"""What an installed ReportQA needs, checked fast against the checkout (tests/test_install.py installs it for real).

pyproject.toml names every package, because data/ ships as the package `reportqa_data`: a subpackage
left out of that list would import in the checkout and be missing from the wheel. The index lives in
data/index in a checkout, in the per-user data folder when installed, or where REPORTQA_INDEX_DIR says.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from rag import resources
from rag.settings import Settings

CHECKOUT = Path(__file__).resolve().parent.parent
OUR_PACKAGES = ("rag", "ingest", "ui", "eval")
SETUPTOOLS = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def package_folder(package: str) -> Path:
    top, *rest = package.split(".")
    return CHECKOUT / SETUPTOOLS.get("package-dir", {}).get(top, top) / Path(*rest)


def test_every_subpackage_in_the_checkout_is_listed_for_the_wheel():
    found = {
        ".".join(init.parent.relative_to(CHECKOUT).parts)
        for top in OUR_PACKAGES
        for init in (CHECKOUT / top).rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert "rag.retrieval" in found  # the scan sees subpackages, not just the top folders
    assert found - set(SETUPTOOLS["packages"]) == set(), "add these to [tool.setuptools] packages in pyproject.toml"


def test_every_listed_package_exists():
    missing = [package for package in SETUPTOOLS["packages"] if not (package_folder(package) / "__init__.py").is_file()]
    assert missing == []


def test_every_data_file_matches_a_package_data_pattern_of_reportqa_data():
    patterns = SETUPTOOLS.get("package-data", {}).get(resources.DATA_PACKAGE, [])
    data = package_folder(resources.DATA_PACKAGE)
    shipped_by_hand = [
        path.relative_to(data).as_posix()
        for path in data.rglob("*")
        if path.is_file() and path.suffix != ".py" and not {"index", "__pycache__"} & set(path.relative_to(data).parts)
    ]
    assert resources.REPORT_FILE in shipped_by_hand and "synonyms.toml" in shipped_by_hand
    assert [name for name in shipped_by_hand if not any(fnmatch(name, pattern) for pattern in patterns)] == []


def test_data_files_are_read_from_the_data_package():
    report = resources.data_file(resources.REPORT_FILE)
    assert report.is_file() and report.parent.name == "data"  # the checkout's data/, through the editable install
    assert "历城区" in report.read_text(encoding="utf-8")[:200]


def test_in_this_checkout_the_index_lives_in_data_index():
    assert resources.PROJECT_ROOT == CHECKOUT and resources.in_checkout()
    assert resources.default_index_dir() == CHECKOUT / "data" / "index"


def test_installed_the_index_lives_in_the_per_user_data_folder(monkeypatch, tmp_path):
    site_packages = tmp_path / "site-packages"  # what PROJECT_ROOT is in a wheel: no pyproject.toml, no data/
    (site_packages / "rag").mkdir(parents=True)
    monkeypatch.setattr(resources, "PROJECT_ROOT", site_packages)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    assert not resources.in_checkout()
    assert resources.default_index_dir() == tmp_path / "user-data" / "reportqa" / "index"


def test_installed_settings_default_to_the_per_user_folders(monkeypatch, tmp_path):
    monkeypatch.setattr(resources, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    for name in ("REPORTQA_INDEX_DIR", "REPORTQA_MODEL_CACHE"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings.from_env()
    assert settings.index_dir == tmp_path / "user-data" / "reportqa" / "index"
    assert settings.model_cache == tmp_path / "user-cache" / "reportqa" / "models"


def test_reportqa_index_dir_overrides_the_default(monkeypatch, tmp_path):
    monkeypatch.setenv("REPORTQA_INDEX_DIR", str(tmp_path / "shared-index"))
    assert Settings.from_env().index_dir == tmp_path / "shared-index"


def test_a_tilde_in_a_path_variable_means_the_home_folder(monkeypatch, tmp_path):
    # Env files and service definitions pass "~" through unexpanded.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("REPORTQA_INDEX_DIR", "~/reportqa-index")
    monkeypatch.setenv("REPORTQA_MODEL_CACHE", "~/models")
    settings = Settings.from_env()
    assert settings.index_dir == tmp_path / "reportqa-index"
    assert settings.model_cache == tmp_path / "models"


def test_a_blank_reportqa_index_dir_falls_back_to_the_default(monkeypatch):
    monkeypatch.setenv("REPORTQA_INDEX_DIR", "  ")
    assert Settings.from_env().index_dir == CHECKOUT / "data" / "index"


def test_default_settings_do_not_depend_on_the_current_folder(tmp_path):
    """Imported from an unrelated folder, every default path still points at the checkout or the user's folders."""
    show = (
        "import json; from rag.settings import Settings; s = Settings.from_env(); "
        "print(json.dumps({'report': str(s.documents[0]), 'index': str(s.index_dir), 'models': str(s.model_cache)}))"
    )
    env = {name: value for name, value in os.environ.items() if not name.startswith(("REPORTQA_", "PYTHONPATH"))}
    env["XDG_CACHE_HOME"] = str(tmp_path / "user-cache")
    shown = subprocess.run([sys.executable, "-c", show], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    paths = json.loads(shown.stdout)
    assert Path(paths["report"]) == CHECKOUT / "data" / resources.REPORT_FILE
    assert Path(paths["index"]) == CHECKOUT / "data" / "index"
    assert Path(paths["models"]) == tmp_path / "user-cache" / "reportqa" / "models"
