"""Collection rules for the whole tree (tests/ and the doctests of smoothsym/).

The torch and JAX kernel files import their framework at the top: where the optional extra
``frameworks`` is not installed, their doctests are not collected (their tests in tests/ skip
with the reason)."""

import importlib.util

collect_ignore = [f"smoothsym/kernels_{name}.py" for name in ("torch", "jax") if importlib.util.find_spec(name) is None]
