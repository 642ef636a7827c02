"""A user's shell session, for tests/test_readme_commands.py: runs the commands of a JSON file in
one interpreter, each as ``python -m ckm_sim ARGS`` (what ``ckm-sim`` runs) or ``python SCRIPT
ARGS`` would, in its own folder, and writes each one's exit code and output.

    python tests/readme_session.py JOBS.json RESULTS.json

One interpreter pays the imports once for several commands of the same verb (a fresh one per
verb keeps a verb from leaning on a module another verb imported). Output is caught on the file
descriptors, so what libraries and child processes print is caught too. An exception that
escapes is printed as the interpreter prints it (a traceback) with exit code 1.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import tempfile
import time
import traceback


def _run(job: dict) -> dict:
    os.chdir(job["cwd"])
    argv = job["argv"]
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        start = time.perf_counter()
        sys.argv = list(argv)
        try:
            if argv[0] == "ckm-sim":
                runpy.run_module("ckm_sim", run_name="__main__", alter_sys=True)
            else:
                runpy.run_path(argv[0], run_name="__main__")
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode(errors="replace")
        stderr = err.read().decode(errors="replace")
    return {"returncode": code, "stdout": stdout, "stderr": stderr, "seconds": seconds}


def main() -> None:
    jobs_file, results_file = sys.argv[1:3]  # each job sets sys.argv
    with open(jobs_file) as file:
        jobs = json.load(file)
    results = [_run(job) for job in jobs]
    with open(results_file, "w") as file:
        json.dump(results, file)


if __name__ == "__main__":
    main()
