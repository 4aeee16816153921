"""Charts drawn on the server with matplotlib (no JavaScript), as SVG data URIs that both the web
page and WeasyPrint's PDF embed. Every chart is shown beside a table of the same figures."""

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt

matplotlib.rcParams.update(
    {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 10, "svg.hashsalt": "shortbreaks"}
)  # text stays text; output is reproducible
COLOURS = ["#1d70b8", "#f47738", "#00703c", "#d4351c", "#6f72af"]


def bar_chart(labels: list[str], series: dict[str, list[float]], *, xlabel: str = "") -> str:
    """Horizontal bars, one group per label, one colour per series; returns a data: URI."""
    height = max(2.0, 0.45 * len(labels) * max(1, len(series)) + 0.8)
    figure, axes = plt.subplots(figsize=(7, height))
    try:
        width = 0.8 / max(1, len(series))
        for n, (name, values) in enumerate(series.items()):
            axes.barh(
                [i + n * width for i in range(len(labels))],
                values,
                height=width,
                label=name,
                color=COLOURS[n % len(COLOURS)],
            )
        axes.set_yticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))], labels)
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False, loc="lower right")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
