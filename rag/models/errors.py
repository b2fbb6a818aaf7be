"""What can go wrong when ReportQA gets its embedding model; each message says how to fix it."""


class E5SourceError(RuntimeError):
    """A package the e5 rebuild reads from is missing, or its data file is not what we expect."""


class ModelCheckError(RuntimeError):
    """The rebuilt model loads but does not embed like multilingual-e5-small."""


class EmbeddingModelError(RuntimeError):
    """The configured embedding model cannot be loaded (offline, missing or broken)."""
