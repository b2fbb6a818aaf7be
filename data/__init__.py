"""The report and the word lists, shipped inside the wheel as the package `reportqa_data` (see pyproject.toml)."""
