"""ReportQA as a library: the wheel, installed into a fresh venv, runs the README's Python example anywhere.

The wheel is built from a copy of the checkout and installed with `pip install --no-deps` into a new venv
that sees the dependencies of .venv through a .pth file, so nothing is downloaded. The example then runs
from an empty folder with a temporary HOME: it must find the report inside the wheel, build its index in
the per-user data folder, and leave site-packages as pip installed it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from rag.offline import OFFLINE_ENVIRONMENT
from rag.resources import DATA_PACKAGE, REPORT_FILE

pytestmark = [pytest.mark.slow, pytest.mark.model]

CHECKOUT = Path(__file__).resolve().parent.parent
# Generated or private folders inside package folders: never shipped, and the locked test set is never read.
NOT_COPIED = {"data/index", "eval/reports", "eval/sets"}

# The README's example, as a newcomer pastes it; the last line reports what the tests check.
README_EXAMPLE = """
from rag import Retriever, answer

retriever = Retriever.load()
passages = retriever.retrieve("2022年新增了多少学位", k=5)
nodes = retriever.as_llamaindex().retrieve("去年GDP多少")
a = answer("2023年新增学位多少")

import json, rag
from rag.settings import Settings
settings = Settings.from_env()
print(json.dumps({
    "rag": rag.__file__,
    "report": str(settings.documents[0]),
    "passages": [p.text for p in passages],
    "nodes": [n.node.get_content() for n in nodes],
    "answer": a.text,
    "citations": len(a.citations),
}, ensure_ascii=False))
"""


@dataclass(frozen=True)
class InstalledVenv:
    python: Path
    site_packages: Path


@dataclass(frozen=True)
class ExampleRun:
    returncode: int
    stdout: str
    stderr: str
    user_data: Path
    site_packages_before: set[Path]
    site_packages_after: set[Path]

    def shown(self) -> dict:
        """What the example printed; a failed run shows its traceback instead."""
        assert self.returncode == 0, self.stderr[-4000:]
        return json.loads(self.stdout.strip().splitlines()[-1])


def copy_sources(destination: Path) -> None:
    """The files setuptools reads, so the build leaves no build/ or egg-info in the checkout."""
    setuptools = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    folders = {setuptools.get("package-dir", {}).get(top, top) for top in (p.split(".")[0] for p in setuptools["packages"])}

    def skipped(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(CHECKOUT)
        return {name for name in names if name == "__pycache__" or (relative / name).as_posix() in NOT_COPIED}

    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(CHECKOUT / name, destination / name)
    for folder in folders:
        shutil.copytree(CHECKOUT / folder, destination / folder, ignore=skipped)


def files_under(folder: Path) -> set[Path]:
    return {path.relative_to(folder) for path in folder.rglob("*")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("sources")
    copy_sources(sources)
    dist = tmp_path_factory.mktemp("dist")
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(sources)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = dist.glob("reportqa-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed_venv(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> InstalledVenv:
    root = tmp_path_factory.mktemp("venv")
    venv.create(root, with_pip=False)
    python = root / "bin" / "python"
    # .venv's pip installs into the new venv (--python); before the .pth below exists, so pip does not
    # take the editable reportqa of .venv for an installed one.
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # The dependencies come from .venv. A path in a .pth is added to sys.path, but the .pth files found
    # there are not run, so .venv's editable finder (which maps rag to this checkout) stays inactive.
    dependencies = dict.fromkeys(sysconfig.get_paths()[kind] for kind in ("purelib", "platlib"))
    (site_packages / "reportqa-test-dependencies.pth").write_text("\n".join(dependencies) + "\n", encoding="utf-8")
    return InstalledVenv(python=python, site_packages=site_packages)


@pytest.fixture(scope="module")
def example_run(tmp_path_factory: pytest.TempPathFactory, installed_venv: InstalledVenv, model_cache: Path) -> ExampleRun:
    """The README example, run once from an empty folder by a user whose HOME is brand new."""
    user = tmp_path_factory.mktemp("user")
    empty_folder = user / "empty"
    empty_folder.mkdir()
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(("REPORTQA_", "PYTHON", "XDG_", "VIRTUAL_ENV"))
    }
    env |= OFFLINE_ENVIRONMENT | {
        "HOME": str(user / "home"),
        "XDG_DATA_HOME": str(user / "data"),
        "XDG_CACHE_HOME": str(user / "cache"),
        "REPORTQA_MODEL_CACHE": str(model_cache),  # the session's model: built once, not once per test
        "PYTHONDONTWRITEBYTECODE": "1",  # pip compiled the wheel; .pyc files for .venv's modules are not ours
    }
    before = files_under(installed_venv.site_packages)
    ran = subprocess.run(
        [installed_venv.python, "-c", README_EXAMPLE], cwd=empty_folder, env=env, capture_output=True, text=True, timeout=900
    )
    return ExampleRun(
        returncode=ran.returncode,
        stdout=ran.stdout,
        stderr=ran.stderr,
        user_data=user / "data",
        site_packages_before=before,
        site_packages_after=files_under(installed_venv.site_packages),
    )


def test_the_wheel_ships_every_package_and_the_data_files(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"]
    assert [p for p in packages if f"{p.replace('.', '/')}/__init__.py" not in names] == []
    assert {f"{DATA_PACKAGE}/{REPORT_FILE}", f"{DATA_PACKAGE}/synonyms.toml"} <= names
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read(f"{DATA_PACKAGE}/{REPORT_FILE}") == (CHECKOUT / "data" / REPORT_FILE).read_bytes()


def test_the_wheel_ships_the_files_its_code_reads_beside_itself(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"eval/golden.jsonl", "eval/thresholds.toml", "ui/chat.css"} <= names


def test_the_readme_example_runs_from_an_empty_folder(example_run: ExampleRun):
    assert example_run.returncode == 0, example_run.stderr[-4000:]
    assert set(example_run.shown()) >= {"passages", "nodes", "answer"}


def test_the_new_venv_runs_the_installed_wheel_not_the_checkout(example_run: ExampleRun, installed_venv: InstalledVenv):
    shown = example_run.shown()
    assert Path(shown["rag"]).is_relative_to(installed_venv.site_packages)
    assert Path(shown["report"]) == installed_venv.site_packages / DATA_PACKAGE / REPORT_FILE


def test_the_installed_retriever_finds_the_evidence(example_run: ExampleRun):
    shown = example_run.shown()
    assert any("新增学位1.7万个" in text for text in shown["passages"])
    assert any("1265亿元" in text for text in shown["nodes"])  # 去年GDP: 地区生产总值1265亿元
    assert "[1]" in shown["answer"] and shown["citations"] >= 1


def test_the_index_is_built_in_the_user_data_folder_and_nothing_is_written_to_site_packages(
    example_run: ExampleRun, installed_venv: InstalledVenv
):
    example_run.shown()
    index = example_run.user_data / "reportqa" / "index"
    assert (index / "chroma").is_dir() and any(index.iterdir())
    assert example_run.site_packages_after - example_run.site_packages_before == set()
    assert not (installed_venv.site_packages / "data").exists() and not (installed_venv.site_packages / "index").exists()
