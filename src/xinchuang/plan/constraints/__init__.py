"""One module per constraint family. Each has the same two faces:

- ``add(variables)`` adds the family's rows to the CP-SAT model, each enforced by
  the family's literal so that an infeasible model can name the families in its
  conflict;
- ``check(instance, assignments)`` finds every violation of the family in a
  schedule, in plain Python, without the solver (the validator calls it).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Violation:
    """One broken constraint in a schedule."""

    family: str
    message: str

    def __str__(self) -> str:
        return f"{self.family}: {self.message}"
