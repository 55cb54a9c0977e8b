"""A wheel ships the built-in templates inside the package, and an installed copy finds them there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_wheel_contains_and_finds_builtin_templates(tmp_path: Path) -> None:
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = tmp_path.glob("chukmath-*.whl")
    expected = sorted(p.name for p in (REPO / "templates").glob("*.jinja"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        shipped = sorted(n.split("/")[-1] for n in names if n.startswith("chukmath/builtin_templates/"))
        assert set(expected) <= set(shipped)
        assert "step_by_step.jinja" in shipped
        # A pure-Python wheel installs by unpacking; do that instead of touching the venv.
        site = tmp_path / "site"
        archive.extractall(site)

    probe = (
        "import chukmath, chukmath.render as r; lib = r.TemplateLibrary(); "
        "print(chukmath.__file__); print(r.builtin_template_dir()); print(','.join(lib.names())); "
        "from chukmath.records import Problem; "
        "p = Problem('p', 'arithmetic', 1, 0, 0, 'What is 2 + 3?', '2 + 3', '5'); "
        "print(lib.get('step_by_step').render(p)[0]['content'].splitlines()[2])"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, run.stderr
    module_file, template_dir, names, line = run.stdout.splitlines()
    assert Path(module_file).is_relative_to(site)
    assert Path(template_dir) == site / "chukmath" / "builtin_templates"
    assert set(names.split(",")) == {Path(n).stem for n in expected}
    assert line == "Problem: What is 2 + 3?"

    # The CLI of the unpacked wheel, run from a folder with no templates/ next to it, lists and lints them.
    cli = "import sys; from chukmath.cli.main import run; sys.argv = ['chukmath', *sys.argv[1:]]; run()"
    env = {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}
    listed = subprocess.run(
        [sys.executable, "-c", cli, "templates", "list"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rows = {line.split()[0]: line.split()[1] for line in listed.stdout.splitlines()[1:]}
    assert rows == {Path(n).stem: "built-in" for n in expected}
    linted = subprocess.run(
        [sys.executable, "-c", cli, "templates", "lint"],
        capture_output=True, text=True, timeout=60, check=False, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert linted.returncode == 0, linted.stdout + linted.stderr
    assert linted.stderr.strip() == "0 error(s), 0 warning(s)"
