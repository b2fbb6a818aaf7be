"""The web chat and HTTP API of ReportQA: `ui.app.build_app(answerer)` or `ui.app.serve(settings)`."""

from rag.offline import go_offline

go_offline()  # before any ui module imports gradio: no analytics or version-check calls
