"""smoothsym: derivations whose every step is machine-checked.

A derivation file imports what it needs from here::

    from smoothsym import Derivation, Given, Rewrite, Differentiate, Integrate, Condition, \
        Substitute, Limit, DropTerm, Bound
"""

__version__ = "0.1.0"

from .errors import DerivationError, LoadError, SmoothsymError, StepTimeout, UnknownDerivationError
from .model import STEP_KINDS, Derivation, Relation, Step, StepContext
from .runner import DerivationResult, StepResult, verify
from .settings import PROFILES, CheckSettings
from .steps import Approximate, Asymptotic, Bound, Condition, Differentiate, DropTerm, Generalise, Given, Integrate, Limit, Rewrite, Substitute
from .verdict import Counterexample, ConvergenceEvidence, NumericEvidence, Status, Verdict


def __getattr__(name: str):
    """``lambdified`` is imported on first use: the export machinery (numpy printers, kernels)
    is not needed to verify, and the command line starts faster without it."""
    if name == "lambdified":
        from .export import lambdified

        return lambdified
    raise AttributeError(f"module 'smoothsym' has no attribute {name!r}")


__all__ = sorted([
    "Approximate", "Asymptotic", "Bound", "CheckSettings", "Condition", "ConvergenceEvidence", "Counterexample", "Derivation",
    "DerivationError", "DerivationResult", "Differentiate", "DropTerm", "Generalise", "Given", "Integrate", "Limit",
    "LoadError", "NumericEvidence", "PROFILES", "Relation", "Rewrite", "STEP_KINDS", "SmoothsymError",
    "Status", "Step", "StepContext", "StepResult", "StepTimeout", "Substitute", "UnknownDerivationError",
    "Verdict", "lambdified", "verify",
])
