"""Turn a figure as a text states it into a number with a unit and the precision the text implies.

Analysts' sources write "~$5.6M", "2,788 thousand", "under $6 million", "$90M+", "3-6 months",
"high tens of millions" or "18:1". Reconciling them needs numbers in one base unit per
dimension (parameters as a count, money in USD, durations in hours, shares as fractions), and
an honest band around each number: "2.8M" promises less than "2.788M", and the reconciler must
not call them a contradiction. Unit conversion is pint's job; this module only reads the words.

Agreement rule (documented in the README): a point value carries the band
``amount +- min(one unit in its last stated digit, cap * |amount|)`` where ``cap`` is 10 %, or
25 % when the text marks the figure approximate ("~", "about", "roughly"); intervals and bounds
carry what they state. Two values agree when their bands overlap. So 2.78M, 2.788M, 2.79M and
2.8M agree; 671B and 685B do not; "1T" does not agree with 1.6T.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from kg.core.errors import QuantityError
from kg.core.units import UNIT_PINT, base_iri, registry, to_base
from kg.core.vocab import UNIT


@dataclass(frozen=True)
class Quantity:
    """A normalised figure: base-unit numbers and the band that says how precise the text was."""

    amount: float | None
    low: float | None
    high: float | None
    unit: str
    shape: str  # "point" | "interval" | "lower" | "upper"
    approximate: bool = False
    text: str = ""

    def agrees(self, other: Quantity) -> bool:
        """Equal within the precision the less precise one states; a range or bound agrees with
        what it contains.

        Two points agree when they differ by no more than the wider of their two tolerances
        (not the sum: "80B" and "90B" must not meet halfway); anything else agrees when the bands
        overlap.
        """
        if self.unit != other.unit:
            return False
        eps = 1e-9
        if self.shape == other.shape == "point" and self.amount is not None \
                and other.amount is not None:
            tolerance = max(self.tolerance, other.tolerance)
            return abs(self.amount - other.amount) <= tolerance * (1 + eps) + eps * abs(self.amount)
        lo1, hi1 = self.band()
        lo2, hi2 = other.band()
        return lo1 <= hi2 + eps * abs(hi2) and lo2 <= hi1 + eps * abs(hi1)

    @property
    def tolerance(self) -> float:
        """Half the width of a point's band: how far the text lets the true value lie."""
        low, high = self.band()
        if math.isinf(low) or math.isinf(high):
            return math.inf
        return (high - low) / 2

    def band(self) -> tuple[float, float]:
        low = self.low if self.low is not None else -math.inf
        high = self.high if self.high is not None else math.inf
        if self.shape == "upper" and self.low is None and self.unit != UNIT + "UNITLESS":
            low = 0.0
        return low, high

    @property
    def center(self) -> float:
        """One number to plot or sort by: the point, the middle of a range, or the bound."""
        if self.amount is not None:
            return self.amount
        low, high = self.band()
        if math.isinf(low):
            return high
        if math.isinf(high):
            return low
        return (low + high) / 2


_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a": 1, "an": 1,
}
_ORDINAL_FRACTIONS = {
    "half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eighteenth": 18, "twentieth": 20, "hundredth": 100,
}
_MULTIPLE_WORDS = {"double": 2, "doubling": 2, "doubled": 2, "doubles": 2, "twice": 2,
                   "triple": 3, "tripled": 3, "tripling": 3, "treble": 3, "quadruple": 4,
                   "halves": 0.5, "halved": 0.5, "halving": 0.5}
_MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mm": 1e6, "million": 1e6, "b": 1e9,
    "bn": 1e9, "billion": 1e9, "t": 1e12, "tn": 1e12, "trillion": 1e12, "quadrillion": 1e15,
}
_VAGUE_SCALES: dict[str, tuple[float, float]] = {"tens": (10, 100), "hundreds": (100, 1000),
                                                  "dozens": (24, 100)}
_VAGUE_PART = {"low": (0.0, 0.4), "mid": (0.3, 0.7), "high": (0.6, 1.0)}

# unit words -> pint expressions (names only; pint does every conversion)
_UNIT_WORDS: list[tuple[str, str]] = [
    (r"(?:gpu|h800|h100|a100|h20|npu|accelerator)[\s-]*(?:hours?|hrs?|hr|h)", "gpu_hour"),
    (r"(?:gpu|h100e?)[\s-]*(?:equiv(?:alents?)?\.?)", "count"),
    (r"(?:per|/)\s*(?:1\s*)?(?:m|mn|million|mtok)\s*(?:input\s+|output\s+)?(?:tokens?|toks?)?", "/Mtok"),
    (r"gb\s*/\s*s|gbps|gb\s+per\s+second|gigabytes?\s+per\s+second", "GB/s"),
    (r"tb\s*/\s*s|tbps", "TB/s"),
    (r"bytes?\s*/\s*s|bytes?\s+per\s+second", "byte/second"),
    (r"gw|gigawatts?", "GW"), (r"mw|megawatts?", "MW"), (r"w|watts?", "watt"),
    (r"gb|gigabytes?", "GB"), (r"tb|terabytes?", "TB"), (r"bytes?", "byte"),
    (r"(?:pflops?|petaflops?)(?:/s)?", "PFLOP/s"), (r"(?:tflops?|teraflops?)(?:/s)?", "TFLOP/s"),
    (r"gflops?(?:\s*/\s*token|\s+per\s+token)?", "GFLOP"),
    (r"flops?\s*/\s*s(?:ec)?|flops?\s+per\s+second", "FLOP/s"),
    (r"flops?(?:\s*/\s*token)?", "FLOP"),
    (r"hours?|hrs?|h", "hour"), (r"days?", "day"), (r"weeks?|wks?", "week"),
    (r"months?|mos?\.?", "month"), (r"years?|yrs?", "year"),
    (r"(?:tokens?|t)\s*/\s*s|tokens?\s+per\s+second", "count"),
    (r"elo", "elo"), (r"index(?:\s+points?)?", "index_point"),
]
_FILLER = re.compile(
    r"\b(?:tokens?|params?|parameters?|gpus?|chips?|units?|users?|queries|devices?|engineers?|"
    r"times|fold|experts?|languages?|pulls?|downloads?|total|active|per\s+token|each|"
    r"rating|points?|pp|percentage\s+points?|cheaper|more|less|of|the|usd|us|dollars?|"
    r"equiv\.?|equivalent|input|output|a|an|in|context|on|cluster|est\.?|estimated|"
    r"daily|monthly|per\s+month|a\s+month|a\s+year|per\s+year|annually|mau|dau|h100e|"
    r"lower|higher|faster|slower|better|worse|larger|smaller|fewer|greater|costlier|"
    r"expensive|reduction|increase|improvement|speed-?up)\b", re.I)

_NUM = r"(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?"  # "2.788e+15": how format_value writes huge values
_APPROX = re.compile(
    r"^(?:~|≈|∼|approximately|approx\.?|about|around|roughly|nearly|almost|circa|c\.|some|"
    r"est\.?|estimated|an\s+estimated|reportedly|close\s+to|closer\s+to|just\s+over|just\s+under|"
    r"another|an\s+additional)\s*", re.I)
_UPPER = re.compile(
    r"^(?:under|below|less\s+than|fewer\s+than|up\s+to|at\s+most|no\s+more\s+than|<=?|≤|"
    r"sub-?|within)\s*", re.I)
_LOWER = re.compile(
    r"^(?:over|above|more\s+than|at\s+least|exceed(?:ed|ing|s)?|>=?|≥|north\s+of|upwards\s+of|"
    r"in\s+excess\s+of|beyond|greater\s+than|surpass(?:ed|ing|es)?|past|topp(?:ed|ing))\s*", re.I)


# A figure as written is a few words ("~$5.6M", "high tens of millions"; the shipped graph's
# longest is 81 characters); longer text is no figure, and refusing it bounds the parser's time
MAX_FIGURE_LENGTH = 200


def _drop_parentheses(s: str) -> str:
    """Each "(...)" with the blanks around it as one blank, in one pass (a regex took O(n²))."""
    out, at = [], 0
    while True:
        opened = s.find("(", at)
        closed = s.find(")", opened + 1) if opened >= 0 else -1
        if closed < 0:
            out.append(s[at:])
            break
        out.append(s[at:opened].rstrip() + " ")
        at = closed + 1
        while at < len(s) and s[at].isspace():
            at += 1
    return "".join(out).strip()


@dataclass
class _Reading:
    """What one side of a figure said, before units are resolved."""

    value: float
    ulp: float
    sig_digits: int
    currency: str | None = None
    unit_text: str = ""


def parse(text: str, default_unit: str | None = None, *, dimension: str | None = None,
          claim: str | None = None) -> Quantity:
    """Read a stated figure; raise QuantityError naming the claim when it cannot be read.

    `default_unit` is the property's unit IRI, used when the text names none; `dimension` is
    the property's kg dimension local name ("Score" lets a bare number mean points, not percent).

    >>> gpu_hours = "https://w3id.org/kg-compute/unit/GPU-HR"
    >>> parse("2.788M", gpu_hours).amount
    2788000.0
    >>> parse("2.788M", gpu_hours).agrees(parse("2.8M", gpu_hours))  # within the stated precision
    True
    >>> parse("671B", "http://qudt.org/vocab/unit/NUM").agrees(parse("685B", "http://qudt.org/vocab/unit/NUM"))
    False
    """
    if text is None or not str(text).strip():
        raise QuantityError(str(text), "the value is empty", claim=claim)
    original = str(text)
    if len(original) > MAX_FIGURE_LENGTH:
        raise QuantityError(original, f"{len(original):,} characters is no figure as written: kg "
                            f"reads figures of at most {MAX_FIGURE_LENGTH} characters", claim=claim,
                            hint="put the figure alone in kg:stated and longer text in kg:condition")
    s = _clean(original)
    approximate = False
    shape = "point"
    while True:
        m = _APPROX.match(s)
        if m and m.end() > 0:
            approximate = True
            s = s[m.end():]
            continue
        m = _UPPER.match(s)
        if m and m.end() > 0:
            shape = "upper"
            s = s[m.end():]
            continue
        m = _LOWER.match(s)
        if m and m.end() > 0:
            shape = "lower"
            s = s[m.end():]
            continue
        break
    if re.search(r"(?:\+|\bor\s+(?:more|better|above)|\band\s+up|\bplus)\s*$", s):
        shape = "lower"
        s = re.sub(r"(?:\+|\bor\s+(?:more|better|above)|\band\s+up|\bplus)\s*$", "", s).strip()
    elif re.search(r"\bor\s+(?:less|fewer)\s*$", s):
        shape = "upper"
        s = re.sub(r"\bor\s+(?:less|fewer)\s*$", "", s).strip()
    s = _drop_parentheses(s)  # "$8 billion (RMB 60bn)": keep the first reading

    vague = _vague(s, default_unit, dimension, original, claim)
    if vague is not None:
        return replace(vague, approximate=True)

    sides = _split_range(s)
    readings = [_read_side(side, original, claim) for side in sides]
    if len(readings) == 2:
        _share_context(readings)
    units = [_resolve_unit(r, default_unit, dimension, original, claim) for r in readings]
    if len({str(u.dimensionality) for u in units}) > 1:
        raise QuantityError(original, "the two ends of the range are in different units",
                            claim=claim)
    base_unit = base_iri(units[0], original, claim)  # first: a unit kg has no base for is refused
    values = [to_base(r.value, u) for r, u in zip(readings, units, strict=True)]
    ulps = [abs(to_base(r.ulp, u)) for r, u in zip(readings, units, strict=True)]

    if len(values) == 2:
        low, high = values
        if low > high and all(re.match(r"^\s*1\s*/", side) for side in sides):
            low, high = high, low
        if low > high:
            raise QuantityError(original, f"the range is written backwards ({low:g} > {high:g})",
                                claim=claim, hint="write the smaller end first")
        return Quantity((low + high) / 2, low, high, base_unit, "interval", approximate, original)
    value = values[0]
    if shape == "upper":
        return Quantity(value, None, value, base_unit, "upper", approximate, original)
    if shape == "lower":
        return Quantity(value, value, None, base_unit, "lower", approximate, original)
    cap = 0.25 if approximate else 0.10
    tolerance = min(ulps[0], cap * abs(value)) if value else ulps[0]
    return Quantity(value, value - tolerance, value + tolerance, base_unit, "point",
                    approximate, original)


def _clean(text: str) -> str:
    s = text.strip()
    s = s.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-").replace("\u00a0", " ")
    s = s.replace("\u2009", " ").replace("\u202f", " ").replace("×", "x")
    s = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", s)  # thousands separators ("2,788", "1,000,000x")
    # "685-billion", "1-million": a hyphenated magnitude is still a magnitude, not a range
    s = re.sub(r"(?<=\d)-(?=(?:quadrillion|trillion|billion|million|thousand)\b)", " ", s,
               flags=re.I)
    # a bare magnitude word ("Trillion-parameter") means one of it
    s = re.sub(r"^(?=(?:quadrillion|trillion|billion|million|thousand)\b)", "1 ", s, flags=re.I)
    return re.sub(r"\s+", " ", s)


def _split_range(s: str) -> list[str]:
    m = re.match(r"^between\s+(.+?)\s+and\s+(.+)$", s, re.I)
    if m:
        return [m.group(1), m.group(2)]
    split = _range_sides(s)
    if split and not re.match(r"^\d+:\d+", s):
        left, right = split[0].strip(), split[1].strip()
        if left and right and re.search(r"\d", left):
            return [left, right]
    m = re.match(r"^([a-z]+)\s+to\s+([a-z]+)(\s+.*)?$", s, re.I)
    if m and m.group(1).lower() in _WORD_NUMBERS and m.group(2).lower() in _WORD_NUMBERS:
        rest = m.group(3) or ""
        return [m.group(1) + rest, m.group(2) + rest]
    return [s]


_SEPARATOR = re.compile(r"-|to|–", re.I)
_RIGHT_START = re.compile(r"\s*((?:[$~]|us\$|rmb|¥)?\s*(?:\d|\.\d|1/))", re.I)
_BLANK, _LETTER = re.compile(r"\s"), re.compile(r"[a-z%]", re.I)


def _range_sides(s: str) -> tuple[str, str] | None:
    """The first "A - B", "A to B" or "A – B" whose left side ends in a figure (and perhaps a
    unit word) and whose right side starts with one; in one pass over the text.

    It finds what ``^(.*?\\d[^\\s-]*?(?:\\s*[a-z%]*)?)\\s*(?:(?<!\\d[eE])-|to|–)\\s*(RIGHT.*)$``
    finds, but that pattern backtracks: "671B" followed by 20,000 digits took 45 s (issue 18).
    Here the left side's condition (a digit, then non-blank non-dash characters, then blanks,
    then letters) is followed by a three-state automaton as the text is read, so each
    separator is checked in constant time (tests/test_fuzz.py holds the two to the same answers).
    """
    n = len(s)
    ok = [False] * (n + 1)  # ok[p]: s[:p] could be the left side
    solid = [0] * (n + 1)  # solid[p]: s[:p] without its trailing blanks ends here
    word = blank = letters = False  # where the left side's tail can be: [^\s-]*, \s*, [a-z%]*
    for p, ch in enumerate(s):
        is_blank = _BLANK.match(ch) is not None
        if ch.isdecimal():  # what \d matches
            word = blank = letters = True
        elif word or blank or letters:
            word = word and not is_blank and ch != "-"
            blank = blank and is_blank
            letters = letters and _LETTER.match(ch) is not None
            blank = blank or word  # closure: after [^\s-]* may come blanks, after blanks letters
            letters = letters or blank
        ok[p + 1] = word or blank or letters
        solid[p + 1] = solid[p] if is_blank else p + 1
    for sep in _SEPARATOR.finditer(s):
        at = sep.start()
        if sep.group() == "-" and at >= 2 and s[at - 1] in "eE" and s[at - 2].isdecimal():
            continue  # the dash of "1e-07" is an exponent's sign, not a range
        end = solid[at]
        if not ok[end]:
            continue
        right = _RIGHT_START.match(s, sep.end())
        if right:
            return s[:end], s[right.start(1):]
    return None


def _read_side(s: str, original: str, claim: str | None) -> _Reading:
    s = s.strip()
    low = s.lower()
    currency = None
    cm = re.match(r"^(us\$|\$|usd\s*|rmb\s*|cny\s*|¥)\s*", low)
    if cm:
        currency = "CNY" if cm.group(1).strip() in ("rmb", "cny", "¥") else "USD"
        s = s[cm.end():]
        low = s.lower()
    # ratios written N:1 or 1:N
    m = re.match(rf"^({_NUM})\s*:\s*({_NUM})\s*(.*)$", s)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        if b == 0:
            raise QuantityError(original, "a ratio with zero as divisor", claim=claim)
        return _Reading(a / b, _ulp(m.group(1)) / b, _sig(m.group(1)), None, "x")
    # fractions 1/10th, 1/6
    m = re.match(rf"^({_NUM})\s*/\s*({_NUM})(?:th|st|nd|rd)?\s*(.*)$", s)
    if m:
        a, b = float(m.group(1)), float(m.group(2))
        if b == 0:
            raise QuantityError(original, "a fraction with zero as divisor", claim=claim)
        return _Reading(a / b, (a / b) * 0.05, 2, currency, "x " + m.group(3))
    # one-eighteenth, a tenth, half
    m = re.match(r"^(?:(one|a|an|two|three)[\s-]+)?(half|third|quarter|fourth|fifth|sixth|seventh|"
                 r"eighth|ninth|tenth|eighteenth|twentieth|hundredth)s?\b\s*(.*)$", low)
    if m:
        num = _WORD_NUMBERS.get(m.group(1) or "one", 1)
        den = _ORDINAL_FRACTIONS[m.group(2)]
        return _Reading(num / den, (num / den) * 0.05, 2, currency, "x " + m.group(3))
    m = re.match(r"^([a-z]+)-?fold\b\s*(.*)$", low)
    if m and m.group(1) in _WORD_NUMBERS:
        return _Reading(_WORD_NUMBERS[m.group(1)], 1.0, 1, None, "x " + m.group(2))
    m = re.match(r"^(" + "|".join(_MULTIPLE_WORDS) + r")\b\s*(.*)$", low)
    if m:
        return _Reading(_MULTIPLE_WORDS[m.group(1)], 0.5, 1, None, "x " + m.group(2))
    m = re.match(rf"^({_NUM})\s*(.*)$", s)
    if m:
        digits, rest = m.group(1), m.group(2)
        try:
            value, ulp, sig = float(digits), _ulp(digits), _sig(digits)
        except OverflowError:
            value = math.inf
        if not math.isfinite(value) or value > 1e300:
            raise QuantityError(original, "the number is too large to be a figure", claim=claim)
    else:
        m = re.match(r"^([a-z]+)(?:[\s-]+(one|two|three|four|five|six|seven|eight|nine))?\b\s*(.*)$",
                     low)
        if not m or m.group(1) not in _WORD_NUMBERS or m.group(1) in ("a", "an") and not m.group(3):
            raise QuantityError(original, "no number found", claim=claim,
                                hint="state the figure with digits or number words")
        value = float(_WORD_NUMBERS[m.group(1)] + (_WORD_NUMBERS[m.group(2)] if m.group(2) else 0))
        ulp, sig, rest = 1.0, len(str(int(value)).rstrip("0")) or 1, m.group(3)
    rest = rest.strip()
    mm = re.match(r"^(quadrillion|trillion|billion|million|thousand|tn|bn|mn|mm|[kmbt])(?![a-z])\.?\s*(.*)$",
                  rest, re.I)
    if mm:
        word = mm.group(1)
        if not (word == "m" and re.match(r"^(?:onths?|o)\b", mm.group(2) or "")):
            scale = _MAGNITUDES[word.lower()]
            value, ulp = value * scale, ulp * scale
            rest = mm.group(2)
    cm = re.search(r"(?:\b(?:usd|dollars?)\b|\$)", rest, re.I)
    if cm and currency is None:
        currency = "USD"
    cm = re.search(r"\b(?:rmb|cny|yuan)\b", rest, re.I)
    if cm:
        currency = "CNY"
    return _Reading(value, ulp, sig, currency, rest.strip())


def _share_context(readings: list[_Reading]) -> None:
    """'$0.10-0.30', '5%-13%', '3-6 months', '$5M to $20M': each end borrows what the other says."""
    a, b = readings
    a.currency = a.currency or b.currency
    b.currency = b.currency or a.currency
    if not a.unit_text and b.unit_text:
        a.unit_text = b.unit_text
    # "1.5-1.73x", "2-4x": magnitude words belong to both ends when only the right one has them
    if a.value < b.value / 500 and b.value >= 1e3 and a.value < 1e3:
        scale = _magnitude_of(b)
        a.value *= scale
        a.ulp *= scale


def _magnitude_of(r: _Reading) -> float:
    for scale in (1e15, 1e12, 1e9, 1e6, 1e3):
        if r.value >= scale:
            return scale
    return 1.0


def _resolve_unit(r: _Reading, default_unit: str | None, dimension: str | None,
                  original: str, claim: str | None):
    ureg = registry()
    text = r.unit_text.lower().strip()
    pint_expr = None
    if re.search(r"%|\bper\s*cent\b|\bpercent(?:age)?\b|\bpp\b", text):
        pint_expr = "percent"
    elif re.search(r"^(?:x|times|fold|-fold)\b|^x$|\bx\b|times\b|fold\b", text):
        pint_expr = "dimensionless"
    else:
        for pattern, expr in _UNIT_WORDS:
            if re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", text):
                pint_expr = expr
                break
    leftover = _FILLER.sub(" ", text)
    for pattern, _ in _UNIT_WORDS:
        leftover = re.sub(rf"(?<![a-z])(?:{pattern})(?![a-z])", " ", leftover)
    leftover = re.sub(r"[%$x/.,;:()\-+~]|\bper\b|\bcent\b|\bpercent\b|\brmb\b|\bcny\b|\byuan\b",
                      " ", leftover)
    leftover = re.sub(r"\s+", " ", leftover).strip()
    if leftover:
        raise QuantityError(original, f"unknown unit {leftover!r}", claim=claim,
                            hint="use a unit kg knows (see ontology/units.ttl) or drop the noun "
                                 "the property already implies")
    default_expr = UNIT_PINT.get(default_unit or "")
    if pint_expr == "/Mtok":
        pint_expr = "USD/Mtok"
    if r.currency:
        if pint_expr in (None, "count") or (pint_expr and pint_expr.startswith("/")):
            if default_expr and "Mtok" in default_expr:
                pint_expr = default_expr.replace("USD", r.currency)
            else:
                pint_expr = r.currency
        elif pint_expr == "USD/Mtok":
            pint_expr = f"{r.currency}/Mtok"
    if pint_expr is None:
        if dimension == "Score":  # the benchmark's own scale when known, else points
            pint_expr = default_expr if default_unit and default_expr else "dimensionless"
        elif default_expr is None:
            raise QuantityError(original, "no unit given and the property has no default unit",
                                claim=claim)
        else:
            pint_expr = default_expr
    unit = ureg.Unit(pint_expr) if pint_expr != "dimensionless" else ureg.dimensionless
    if default_expr is not None and not (r.currency and default_expr in ("USD", "CNY")) \
            and not (dimension == "Score" and pint_expr == "percent"):
        expected = ureg.Unit(default_expr) if default_expr != "dimensionless" else ureg.dimensionless
        if unit.dimensionality != expected.dimensionality:
            raise QuantityError(original, f"the unit {pint_expr} does not fit this property, "
                                f"which takes {default_expr}", claim=claim,
                                hint="check the property, or state the figure in a fitting unit")
    return unit


def _vague(s: str, default_unit: str | None, dimension: str | None, original: str,
           claim: str | None) -> Quantity | None:
    """'high tens of millions', 'hundreds of thousands': an interval, not a failure to parse."""
    bare = re.match(r"^(thousands|millions|billions)\b\s*(.*)$", s, re.I)
    if bare:
        mag = {"thousands": 1e3, "millions": 1e6, "billions": 1e9}[bare.group(1).lower()]
        unit = _resolve_unit(_Reading(mag, 1, 1, None, bare.group(2)), default_unit, dimension,
                             original, claim)
        return Quantity(None, to_base(2 * mag, unit), to_base(1000 * mag, unit),
                        base_iri(unit, original, claim), "interval", True, original)
    m = re.match(r"^(?:the\s+)?(low|mid|high)?[\s-]*(tens|hundreds|dozens)\s+of\s+"
                 r"(thousands|millions|billions|trillions)?\s*(.*)$", s, re.I)
    if not m:
        m3 = re.match(r"^(?:a\s+couple\s+of|two|three|several)\s+orders\s+of\s+magnitude\b\s*(.*)$",
                      s, re.I)
        if m3:
            n = 3 if s.lower().startswith("three") else 2
            unit = _resolve_unit(_Reading(1, 1, 1, None, "x " + m3.group(1)), default_unit,
                                 dimension, original, claim)
            return Quantity(10.0 ** n, 10.0 ** (n - 0.5), 10.0 ** (n + 0.5),
                            base_iri(unit, original, claim), "interval", True, original)
        m2 = re.match(r"^(?:an?\s+)?order\s+of\s+magnitude\b\s*(.*)$", s, re.I)
        if m2:
            unit = _resolve_unit(_Reading(1, 1, 1, None, "x " + m2.group(1)), default_unit,
                                 dimension, original, claim)
            return Quantity(10.0, 5.0, 20.0, base_iri(unit, original, claim), "interval", True,
                            original)
        return None
    part, scale_word, magnitude_word, rest = m.groups()
    lo, hi = _VAGUE_SCALES[scale_word.lower()]
    if part:
        a, b = _VAGUE_PART[part.lower()]
        lo, hi = lo + (hi - lo) * a, lo + (hi - lo) * b
    mag = {"thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}.get(
        (magnitude_word or "").lower(), 1.0)
    currency = "CNY" if re.search(r"\b(rmb|yuan|cny)\b", rest, re.I) else (
        "USD" if re.search(r"\$|dollars?|usd", rest, re.I) else None)
    reading = _Reading(lo * mag, 1, 1, currency, re.sub(r"\b(rmb|yuan|cny)\b", "", rest, flags=re.I))
    unit = _resolve_unit(reading, default_unit, dimension, original, claim)
    return Quantity(None, to_base(lo * mag, unit), to_base(hi * mag, unit),
                    base_iri(unit, original, claim), "interval", True, original)


def _ulp(digits: str) -> float:
    """One unit in the last stated digit; trailing zeros of whole numbers are not significant."""
    digits, _, exponent = digits.lower().partition("e")
    shift = int(exponent) if exponent else 0
    if "." in digits:
        return 10.0 ** (shift - len(digits.split(".")[1]))
    stripped = digits.lstrip("0")
    zeros = len(stripped) - len(stripped.rstrip("0")) if stripped else 0
    return 10.0 ** (zeros + shift)


def _sig(digits: str) -> int:
    digits = digits.lower().partition("e")[0]
    core = digits.replace(".", "").lstrip("0")
    if "." not in digits:
        core = core.rstrip("0")
    return max(len(core), 1)
