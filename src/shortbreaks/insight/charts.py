"""Charts drawn on the server with matplotlib (no JavaScript), as SVG data URIs that both the web
page and WeasyPrint's PDF embed. Every chart is shown beside a table of the same figures."""

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter, MaxNLocator

matplotlib.rcParams.update(
    {"svg.fonttype": "none", "font.family": "sans-serif", "font.size": 10, "svg.hashsalt": "shortbreaks"}
)  # text stays text; output is reproducible
COLOURS = ["#1d70b8", "#f47738", "#00703c", "#d4351c", "#6f72af"]


# A bar this much of the longest still shows (a £3,000 line beside a £1,250,000 one would
# otherwise be a hairline); its label gives the true figure.
SMALLEST_BAR = 0.01


def figure_of(value: float, *, money: bool = False) -> str:
    """As the tables write it: thousands separated, pounds with a sign, never "1e6"."""
    text = f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.1f}"
    return ("£" if money else "") + text if value >= 0 else "-" + figure_of(-value, money=money)


def bar_chart(labels: list[str], series: dict[str, list[float]], *, xlabel: str = "", money: bool = False) -> str:
    """Horizontal bars, one group per label, one colour per series, each bar labelled with its
    figure; returns a data: URI."""
    height = max(2.0, 0.45 * len(labels) * max(1, len(series)) + 0.8)
    figure, axes = plt.subplots(figsize=(7, height))
    longest = max((abs(float(v)) for values in series.values() for v in values), default=0) or 1
    try:
        width = 0.8 / max(1, len(series))
        for n, (name, values) in enumerate(series.items()):
            values = [float(v) for v in values]
            shown = [max(v, longest * SMALLEST_BAR) if v > 0 else v for v in values]
            bars = axes.barh(
                [i + n * width for i in range(len(labels))],
                shown,
                height=width,
                label=name,
                color=COLOURS[n % len(COLOURS)],
            )
            axes.bar_label(bars, labels=[figure_of(v, money=money) for v in values], padding=3, fontsize=8)
        axes.set_yticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))], labels)
        axes.invert_yaxis()
        axes.set_xlabel(xlabel)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=5, integer=True))
        axes.xaxis.set_major_formatter(FuncFormatter(lambda x, _: figure_of(x, money=money)))
        axes.set_xlim(0, longest * 1.18)  # room for the last bar's label
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(frameon=False, loc="lower right")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
