"""Evaluation: the golden question-answer set, its metrics, and reports staff can read."""
