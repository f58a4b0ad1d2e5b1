"""Swedish identity numbers for the benchmark corpus: the fixed Skatteverket test list, their
surface forms, and a small independent validator used to keep hard negatives honest.

Only Skatteverket test numbers are ever written (see /work/shared/docs/personnummer.md). The
validator here is deliberately simple (Luhn + calendar + samordning day+60); the generator uses it
to make sure a "negative" (invoice number, OCR reference, phone number) is never by accident a valid
personnummer at a digit boundary, so the manifest's expected counts stay exact.
"""

import datetime

# 12-digit storage forms. The last one is a samordningsnummer (day + 60).
PERSONNUMMER = ["199906042388", "191212121212", "196408233234", "192601049030"]
SAMORDNINGSNUMMER = ["197010632391"]

# Surface forms written into documents; each stays one token between non-digits.
FORMS = ("12-dash", "12-plain", "10-dash", "10-plain")


def surface(number12, form):
    """Renders a 12-digit test number in one surface form (e.g. 19990604-2388, 9906042388)."""
    if form == "12-dash":
        return number12[:8] + "-" + number12[8:]
    if form == "12-plain":
        return number12
    if form == "10-dash":
        return number12[2:8] + "-" + number12[8:]
    if form == "10-plain":
        return number12[2:]
    raise ValueError(form)


def luhn_ok(digits):
    """Standard Luhn (weights 1,2,1,2,… from the right); for 10 digits the same as personnummer's."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def luhn_digit(nine):
    for c in "0123456789":
        if luhn_ok(nine + c):
            return c
    raise AssertionError("unreachable")


def _date_ok(year, month, day):
    try:
        datetime.date(year, month, day)
        return True
    except ValueError:
        return False


def could_be_identity(digits, today=None):
    """True if a bare 10- or 12-digit run could validate as personnummer or samordningsnummer.

    Generous on purpose (any century, month 00 allowed for samordningsnummer): a negative that
    passes this check is discarded, so the corpus never contains an accidental positive.
    """
    today = today or datetime.date.today()
    if len(digits) == 12:
        if digits[:2] not in ("18", "19", "20"):
            return False
        ten = digits[2:]
        years = [int(digits[:4])]
    elif len(digits) == 10:
        ten = digits
        yy = int(ten[:2])
        years = [c * 100 + yy for c in (18, 19, 20)]
    else:
        return False
    if not luhn_ok(ten) or ten[6:9] == "000":
        return False
    month, day = int(ten[2:4]), int(ten[4:6])
    for year in years:
        if 1 <= month <= 12 and _date_ok(year, month, day):
            return True
        if 0 <= month <= 12 and 60 <= day <= 91:
            return True
    return False


_TOKEN = None


def reference_count(text):
    """Counts valid identity numbers in extracted text with the digit-boundary rule: an independent
    reference (used by the generator's self-check), not a copy of Vakt's rules."""
    global _TOKEN
    import re
    if _TOKEN is None:
        _TOKEN = re.compile(r"(?<![0-9])((?:[0-9]{2})?[0-9]{6})[-+]?([0-9]{4})(?![0-9])")
    n = 0
    for m in _TOKEN.finditer(text):
        if could_be_identity(m.group(1) + m.group(2)):
            n += 1
    return n
