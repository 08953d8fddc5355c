"""Errors that name the file (and line) and the problem; the CLI turns them into exit code 2."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Unusable input: a file that cannot be read as a document of a known kind."""

    def __init__(self, path: str | Path, problem: str, line: int | None = None) -> None:
        self.path = str(path)
        self.problem = problem
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        """Pickled with its fields, so it crosses from a worker process intact (its message alone would not)."""
        return (type(self), (self.path, self.problem, self.line))


class UnknownKindError(InputError):
    """No registered reader recognises the content of the file."""
