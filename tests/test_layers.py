"""The layering of the packages, as a test: what may import what, and what `import rag` costs.

The contracts live in pyproject.toml ([tool.importlinter]); `lint-imports` checks them against the code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("torch", "sentence_transformers", "chromadb", "gradio", "fastapi", "llama_index", "matplotlib", "jieba")


def test_every_import_respects_the_layers():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extras: pip install -e '.[test]'"
    result = subprocess.run([lint_imports, "--no-cache"], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "BROKEN" not in result.stdout and "KEPT" in result.stdout


@pytest.mark.parametrize("module", ["rag", "rag.types", "rag.settings", "ingest"])
def test_importing_the_library_loads_no_heavy_dependency(module):
    """Another app's `import rag` must not pay for the model runtime, Chroma, the web stack or plotting."""
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    assert module in code  # the probe really imported the module under test


def test_the_public_api_is_small_and_named():
    import rag

    assert sorted(rag.__all__) == ["Answer", "Passage", "QuestionError", "Retriever", "answer"]
    assert rag.Retriever.__name__ == "Retriever" and rag.QuestionError.__name__ == "QuestionError"
    with pytest.raises(AttributeError):
        rag.Index  # noqa: B018 — only the public names are offered
