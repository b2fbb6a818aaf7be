"""The files ReportQA ships and where it keeps what it builds, in a checkout and in an installed wheel alike.

data/ (the report and the word lists) is installed as the package `reportqa_data` (see pyproject.toml),
so it is read through importlib.resources and never by a path relative to this file.
What ReportQA builds (the index, the rebuilt model) never goes inside site-packages: that folder may be
read-only, is shared by every user of the interpreter and is wiped by the next `pip install`.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DATA_PACKAGE = "reportqa_data"
REPORT_FILE = "lichengqu_2023_report.txt"
APP_NAME = "reportqa"
# A checkout has pyproject.toml beside rag/; an installed wheel has site-packages there.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_file(name: str) -> Path:
    """A file of data/: the report or a word list."""
    return Path(str(files(DATA_PACKAGE).joinpath(name)))


def in_checkout() -> bool:
    return (PROJECT_ROOT / "pyproject.toml").is_file() and (PROJECT_ROOT / "data" / REPORT_FILE).is_file()


def default_index_dir() -> Path:
    """data/index in a checkout; a per-user data folder when installed ($XDG_DATA_HOME/reportqa/index on Linux)."""
    if in_checkout():
        return PROJECT_ROOT / "data" / "index"
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / "index"


def default_model_cache() -> Path:
    """The per-user cache folder ($XDG_CACHE_HOME/reportqa/models on Linux): the rebuilt model is shared by checkouts."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "models"
