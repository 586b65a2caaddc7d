#!/usr/bin/env python3
"""Set-up in one command on Linux, macOS and Windows (standard library only).

    python3 quickstart.py demo   installs the app in .venv and starts it on a demo database
    python3 quickstart.py test   installs what the tests need in .venv and runs them

Extra arguments go to `maison-app demo` or to pytest. On Windows, type `py` for `python3`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("MAISON_VENV", ROOT / ".venv"))


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_venv() -> Path:
    if not venv_python().exists():
        print(f"* virtual environment: {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    return venv_python()


def pip_install(python: Path, *args: str) -> None:
    print(f"* pip install {' '.join(args)}", flush=True)
    subprocess.check_call(
        [str(python), "-m", "pip", "install", "--disable-pip-version-check", "-q", *args],
        cwd=ROOT,
    )


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print("maison_app needs Python 3.11 or newer (this is %d.%d)." % sys.version_info[:2])
        return 1
    command, rest = (argv[0], argv[1:]) if argv else ("demo", [])
    if command not in ("demo", "test"):
        print(__doc__)
        return 2
    python = ensure_venv()
    if command == "demo":
        pip_install(python, ".")
        return subprocess.call([str(python), "-m", "maison_app", "demo", "--start", *rest])
    pip_install(python, "-e", ".[test]")
    return subprocess.call([str(python), "-m", "pytest", *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
