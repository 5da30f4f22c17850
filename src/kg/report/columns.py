"""The capability table's columns: their keys and headers, the unit each is written in, how a
figure is written for people in its column, and the names a person may type for a column.

Split from kg.report.table, which arranges rows and cells; this is what every writer (text,
CSV, HTML, the workbook, the charts, `kg diff`) shares about a column.
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.core.display import readable_stated
from kg.core.vocab import KGU, UNIT

# (key, header): the unit is in the header, one unit per column. Counts and GPU-hours are
# written with K/M/B/T (thousand, million, billion, trillion), training compute in powers of
# ten, money in US dollars, scores in percent.
COLUMNS: list[tuple[str, str]] = [
    ("release_date", "Released"),
    ("total_params", "Total params"),
    ("active_params", "Active params"),
    ("training_tokens", "Train tokens"),
    ("gpu_hours", "GPU-hours"),
    ("training_flop", "Train FLOP"),
    ("final_run_cost", "Final-run cost (US$)"),
    ("mmlu", "MMLU (%)"),
    ("gpqa_diamond", "GPQA Diamond (%)"),
    ("swe_bench_verified", "SWE-bench Verified (%)"),
    ("price_in", "Price in (US$/M tokens)"),
    ("price_out", "Price out (US$/M tokens)"),
]
COMPUTE_COLUMNS = [c for c, _ in COLUMNS[:7]]
CAPABILITY_COLUMNS = [c for c, _ in COLUMNS[7:]]
SCORE_COLUMNS = ("mmlu", "gpqa_diamond", "swe_bench_verified")
# the unit each column is written in; a cell stated in another (Epoch's constant 2023 dollars,
# yuan) says its own unit beside the figure rather than pass for the column's
COLUMN_UNIT = {"total_params": UNIT + "NUM", "active_params": UNIT + "NUM",
               "training_tokens": UNIT + "NUM", "gpu_hours": KGU + "GPU-HR",
               "training_flop": KGU + "FLOP", "final_run_cost": UNIT + "CCY_USD",
               "price_in": KGU + "USD-PER-MegaTOK", "price_out": KGU + "USD-PER-MegaTOK",
               **{c: UNIT + "UNITLESS" for c in SCORE_COLUMNS}}
OTHER_UNIT_WORDS = {KGU + "USD-2023": "2023 US$", UNIT + "CCY_CNY": "CNY"}
CONFLICT_MARK = "‡"
DERIVED_MARK = "≈"
# the default people's view after a large import: models an importer minted (known only from a
# database) are shown when they have at least this many of the table's figures
MIN_FIGURES_IMPORTED = 4


def format_cell(column: str, amount: float | None, unit: str | None, v: dict | None = None) -> str:
    """A figure for people in its column's unit (the header names it): 671B, 14.8T, 2.788M,
    3.4e24, 5.6M (US$), 88.5 (%), 0.27 (US$ per million tokens). A figure in another unit than
    the column's (Epoch's constant 2023 dollars) names its unit: "25.87M (2023 US$)"."""
    if amount is None:
        return readable_stated((v or {}).get("stated"), unit)
    if column in SCORE_COLUMNS and unit in (UNIT + "UNITLESS", UNIT + "PERCENT"):
        return trim_zeros(f"{amount * 100:.1f}")
    if column == "training_flop" or unit == KGU + "FLOP":
        return f"{amount:.2g}".replace("e+", "e")
    if unit == KGU + "USD-PER-MegaTOK":
        return trim_zeros(f"{amount:.3g}")
    text = human_number(amount)
    other = OTHER_UNIT_WORDS.get(unit or "")
    if other and unit != COLUMN_UNIT.get(column):
        text += f" ({other})"
    return text


def human_number(amount: float) -> str:
    """2,048; 3,129; 172.8K; 2.788M; 671B; 14.8T: numbers under 100,000 in full (whole from a
    thousand up), four significant digits with K/M/B/T (thousand, million, billion, trillion)
    above."""
    if abs(amount) < 1e5 and (float(amount).is_integer() or abs(amount) >= 1e3):
        return f"{amount:,.0f}"
    for scale, word in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(amount) >= scale:
            return f"{amount / scale:.4g}{word}".replace("e+", "e")
    return f"{amount:.4g}"


def trim_zeros(text: str) -> str:
    """"88.50" -> "88.5", "3.0" -> "3"; a number in exponent form stays as it is."""
    return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text



def column_keys(names: Sequence[str]) -> list[str]:
    """Column keys from what a person typed: keys, headers or short names, any case or spacing
    ("params", "Total params", "total_params", "GPQA"); comma-separated lists are split. An
    unknown name is an error listing the columns."""
    import re

    from kg.core.errors import KgError

    def fold(text: str) -> str:
        return re.sub(r"\(.*?\)|[^a-z0-9]+", "", text.casefold())

    aliases: dict[str, str] = {}
    for column, header in COLUMNS:
        for name in (column, header, header.split("(")[0]):
            aliases.setdefault(fold(name), column)
    extra = {"params": "total_params", "parameters": "total_params", "active": "active_params",
             "tokens": "training_tokens", "flop": "training_flop", "compute": "training_flop",
             "cost": "final_run_cost", "runcost": "final_run_cost", "gpqa": "gpqa_diamond",
             "swebench": "swe_bench_verified", "swe": "swe_bench_verified",
             "pricein": "price_in", "priceout": "price_out", "in": "price_in",
             "out": "price_out", "date": "release_date", "released": "release_date",
             "release": "release_date", "gpuhours": "gpu_hours"}
    for k, v in extra.items():
        aliases.setdefault(k, v)
    keys: list[str] = []
    for item in (part.strip() for name in names for part in name.split(",")):
        if not item:
            continue
        found = aliases.get(fold(item))
        if found is None:
            raise KgError(f"no table column named {item!r}",
                          hint="columns: " + ", ".join(k for k, _ in COLUMNS))
        if found not in keys:
            keys.append(found)
    return keys
