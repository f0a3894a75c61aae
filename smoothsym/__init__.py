"""smoothsym: derivations whose every step is machine-checked.

A derivation file imports what it needs from here::

    from smoothsym import Derivation, Given, Rewrite, Differentiate, Integrate, Condition, \
        Substitute, Limit, DropTerm, Bound
"""

__version__ = "0.1.0"

# Where each public name lives. They are imported on first use (PEP 562): a derivation file's
# ``from smoothsym import Rewrite`` loads SymPy and the step kinds, while a warm ``smoothsym
# verify`` that replays its last run (replay.py) never needs them.
_PUBLIC = {
    "errors": ("DerivationError", "LoadError", "SmoothsymError", "StepTimeout", "UnknownDerivationError"),
    "model": ("STEP_KINDS", "Derivation", "Relation", "Step", "StepContext"),
    "runner": ("DerivationResult", "StepResult", "verify"),
    "settings": ("PROFILES", "CheckSettings"),
    "steps": ("Approximate", "Asymptotic", "Bound", "Condition", "Differentiate", "DropTerm", "Generalise", "Given", "Integrate", "Limit",
              "Rewrite", "Substitute"),
    "verdict": ("Counterexample", "ConvergenceEvidence", "NumericEvidence", "Status", "Verdict"),
    "export": ("lambdified",),
    "notebook": ("load",),  # a derivation file loaded into a notebook (or any Python session)  # the export machinery (numpy printers, kernels) is not needed to verify
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}


def __getattr__(name: str):
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'smoothsym' has no attribute {name!r}")
    import importlib

    importlib.import_module(".steps", __name__)  # every step kind registered before any is used
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = sorted([
    "Approximate", "Asymptotic", "Bound", "CheckSettings", "Condition", "ConvergenceEvidence", "Counterexample", "Derivation",
    "DerivationError", "DerivationResult", "Differentiate", "DropTerm", "Generalise", "Given", "Integrate", "Limit",
    "LoadError", "NumericEvidence", "PROFILES", "Relation", "Rewrite", "STEP_KINDS", "SmoothsymError",
    "Status", "Step", "StepContext", "StepResult", "StepTimeout", "Substitute", "UnknownDerivationError",
    "Verdict", "lambdified", "load", "verify",
])
