"""What the Python tests share (those in tests/ that drive QEMU and the host
tests in tests/host/): counting checks as they pass or fail, the closing
"N passed, M failed" line that ctest reads, and loading a tool (a script in
tools/ without a .py name) as a module."""

import importlib.machinery
import importlib.util
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
counts = {"passed": 0, "failed": 0}


def load_tool(name):
    """tools/NAME as a module, so a test can call its functions."""
    loader = importlib.machinery.SourceFileLoader(name, str(ROOT / "tools" / name))
    spec = importlib.util.spec_from_loader(name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def ok(name):
    counts["passed"] += 1
    print(f"ok {name}", flush=True)


def fail(name, why):
    counts["failed"] += 1
    print(f"FAIL {name}: {why}", flush=True)


def check(name, cond, why=""):
    """ok() or fail() as cond says; returns cond."""
    ok(name) if cond else fail(name, why)
    return cond


def summary():
    """Print the summary line; the exit status for sys.exit()."""
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 1 if counts["failed"] else 0
