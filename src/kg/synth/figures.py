"""How the synthetic generator writes a true figure the ways sources do: rounded to a few
significant digits, with magnitude words or symbols, "~" for an approximation, a wrong value
for a false claim, and the normalised value kg.core.quantity would read back from each.

Split from kg.synth.generator so the writing of one figure reads apart from the world of labs,
documents and statements it is used in.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from kg.core.vocab import KGU, UNIT


@dataclass
class Value:
    """One way of writing a figure, with the normalised value kg.core.quantity would read from it."""

    stated: str
    amount: float | None = None
    low: float | None = None
    high: float | None = None
    approximate: bool = False
    date: str | None = None       # ISO text for date-valued statements
    date_type: str = "date"
    unit: str | None = None       # when not the statement's (constant dollars)
    basis: tuple[str, ...] = ()   # kg:basis the text states (Dense, Sparse, LaunchDiscount)

    def rewritten(self, stated: str, factor: float) -> Value:
        """The same figure written as `stated`, its numbers times `factor` (a slipped magnitude word)."""
        if self.amount is None or self.low is None or self.high is None:
            raise ValueError(f"{self.stated!r} is not a number")
        return Value(stated, self.amount * factor, self.low * factor, self.high * factor,
                     self.approximate)


def figure_text(mant: float, decimals: int) -> str:
    text = f"{mant:.{decimals}f}"
    if "." not in text and text.endswith("0"):
        # how precise a round "80" is depends on context the parser guesses; "80.0" is unambiguous
        text = f"{mant:.1f}"
    return text


def last_digit(text: str) -> float:
    if "." in text:
        return 10.0 ** -len(text.split(".")[1])
    stripped = text.lstrip("0")
    return 10.0 ** (len(stripped) - len(stripped.rstrip("0"))) if stripped else 1.0


def scaled_figure(v: float, sig: int, rng: random.Random, *, words: bool, prefix: str = "",
            approx: bool = False) -> Value:
    """v in a magnitude (T/B/M or trillion/billion/million) rounded to sig significant digits."""
    mags = [(1e12, "T", " trillion"), (1e9, "B", " billion"), (1e6, "M", " million")]
    i = next((i for i, mag in enumerate(mags) if v / mag[0] >= 1), len(mags) - 1)
    if i > 0 and v / mags[i][0] >= 100 and rng.random() < 0.15:
        i -= 1  # one magnitude up ("0.67 trillion"), a form the corpus uses
    m, short, word = mags[i]
    x = v / m
    digits_before = max(1, int(math.floor(math.log10(abs(x)))) + 1) if x >= 1 else 0
    decimals = max(0, sig - digits_before) if x >= 1 else sig
    text = figure_text(x, decimals)
    ulp = last_digit(text)
    mant = float(text)
    tilde = "~" if approx else ""
    return Value(f"{tilde}{prefix}{text}{word if words else short}", mant * m, (mant - ulp) * m,
                 (mant + ulp) * m, approx)


def plain_figure(v: float, decimals: int, *, prefix: str = "", suffix: str = "", scale: float = 1.0,
           approx: bool = False) -> Value:
    """A figure written without a magnitude ("$0.27", "88.5%"); scale maps the text to base units."""
    text = figure_text(v / scale, decimals)
    ulp = last_digit(text)
    mant = float(text)
    tilde = "~" if approx else ""
    return Value(f"{tilde}{prefix}{text}{suffix}", mant * scale, (mant - ulp) * scale,
                 (mant + ulp) * scale, approx)


# properties: (kgp local name, unit IRI, how to write a value)
def written(prop: str, v: float, rng: random.Random, sig: int) -> Value:
    approx = rng.random() < 0.15
    if prop in ("totalParameters", "activeParameters"):
        return scaled_figure(v, sig, rng, words=rng.random() < 0.3, approx=approx)
    if prop == "trainingGpuHours":
        return scaled_figure(v, sig, rng, words=rng.random() < 0.5, approx=approx)
    if prop == "trainingCost":
        return scaled_figure(v, sig, rng, words=rng.random() < 0.4, prefix="$", approx=approx)
    if prop == "benchmarkScore":
        # kg.core.quantity reads a whole "30%" as a ±10% band; one decimal keeps the band exact
        decimals = max(1, sig - 2)
        return plain_figure(v, decimals, suffix="%", scale=0.01, approx=approx)
    if prop == "apiPrice":
        return plain_figure(v, 2, prefix="$", approx=False)
    raise ValueError(prop)


UNITS = {"totalParameters": UNIT + "NUM", "activeParameters": UNIT + "NUM",
         "trainingGpuHours": KGU + "GPU-HR", "trainingCost": UNIT + "CCY_USD",
         "benchmarkScore": UNIT + "UNITLESS", "apiPrice": KGU + "USD-PER-MegaTOK",
         "releaseDate": None}


def wrong_value(v: float, rng: random.Random, prop: str) -> float:
    """A value that no rounding of v can reach: off by 35% to 150%, either way."""
    factor = rng.uniform(1.35, 2.5)
    w = v * factor if rng.random() < 0.5 else v / factor
    if prop == "benchmarkScore":
        w = min(max(w, 0.05), 0.99)
        if abs(w - v) < 0.08:
            w = v - 0.2 if v > 0.5 else v + 0.2
    return w


def recorded(v: float, basis: tuple[str, ...], unit: str | None, constant: str | None = None) -> Value:
    """A figure as a database or datasheet prints it (four significant digits), with the band
    kg.core.quantity reads from it; `constant` names a constant-dollar unit the text is in."""
    from kg.core import quantity

    text = f"{v:.4g}"
    q = quantity.parse(text, unit)
    return Value(text, q.amount, q.low, q.high, unit=constant, basis=basis)
