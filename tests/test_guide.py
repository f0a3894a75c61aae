"""docs/guide.md is run as written, in a fresh folder: each ```python block whose first line
names a file is written there, each ```diff block is applied to the file it names, and each
```console command is run, its shown output found, in order, in what it prints (times aside)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "guide.md"
COMMANDS = {
    "smoothsym": [sys.executable, "-m", "smoothsym.cli"],
    "pytest": [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"],
    "python": [sys.executable],  # a script of notebook cells (section 13)
}


def blocks(text: str) -> list[tuple[str, str]]:
    """The fenced blocks of a markdown text, as (language, body), in order."""
    return re.findall(r"^```(\w+)\n(.*?)^```$", text, flags=re.M | re.S)


def _normal(line: str) -> str:
    """A line without what varies between runs: times, and pytest's progress column."""
    line = re.sub(r"\s+\[\s*\d+%\]$", "", line.rstrip())
    return re.sub(r" *\d+\.\d+s\b", " <time>", line)  # " 8.02s" and "10.02s" fill the same column


def _apply_diff(folder: Path, body: str) -> None:
    lines = body.splitlines()
    path = folder / lines[0].removeprefix("--- ")
    removed = "\n".join(line[1:] for line in lines[1:] if line.startswith("-"))
    added = "\n".join(line[1:] for line in lines[1:] if line.startswith("+"))
    text = path.read_text()
    assert text.count(removed) == 1, f"the guide's diff does not apply to {path.name}: {removed!r}"
    path.write_text(text.replace(removed, added))


def _run_console(folder: Path, body: str) -> None:
    """Each ``$ command`` with the output lines shown below it."""
    for chunk in re.split(r"^\$ ", body, flags=re.M)[1:]:
        command, *shown = chunk.splitlines()
        program, *arguments = command.split()
        done = subprocess.run(COMMANDS[program] + arguments, cwd=folder, capture_output=True, text=True, timeout=300)
        printed = [_normal(line) for line in done.stdout.splitlines()]
        position = 0
        for line in map(_normal, shown):
            assert line in printed[position:], f"`{command}` did not print {line!r}; it printed:\n{done.stdout}{done.stderr}"
            position = printed.index(line, position) + 1


def test_the_guide_runs_as_written(tmp_path):
    found = blocks(GUIDE.read_text())
    assert [language for language, _ in found].count("console") >= 4
    for language, body in found:
        if language == "python":
            first, rest = body.split("\n", 1)
            (tmp_path / first.removeprefix("# ")).write_text(rest)
        elif language == "diff":
            _apply_diff(tmp_path, body)
        elif language == "console":
            _run_console(tmp_path, body)
        else:
            pytest.fail(f"the guide has a ```{language} block the test cannot run")
    assert (tmp_path / "reports" / "tanh-sigmoid.html").is_file()
    assert (tmp_path / "verdicts.xml").is_file()
    assert (tmp_path / "tanh_np.py").is_file()
