"""Expected information class of a generated file, from what the generator wrote into it.

A range, not a point: the policy (rules/policy.yaml) decides the exact class, but some bounds follow
from the content alone and are what IT security cares about:
  * a file with a valid personnummer/samordningsnummer is at least class 2 (never "öppen");
  * a file with no identity number and no OSL marker about a person (upphandling, policy texts
    that only *discuss* OSL) stays below class 2 — it must not be quarantined.
"""


def class_range(truth, kinds):
    if truth.personnummer + truth.samordningsnummer > 0:
        return 2, 3
    if truth.osl_markers > 0:
        return 0, 3
    return 0, 1
