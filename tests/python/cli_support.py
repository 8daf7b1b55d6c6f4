"""What the python_module tests share: the CLI of the same build, the shared data folder and the CLI's JSON.

ALIGNSCOPE_CLI names the CLI (ctest sets it), ALIGNSCOPE_SHARED the shared data and reference folder (empty when
absent: the tests that need it skip).
"""
import json
import os
import subprocess

CLI = os.environ.get("ALIGNSCOPE_CLI", "alignscope-cli")
SHARED = os.environ.get("ALIGNSCOPE_SHARED", "")


def cli_json(*arguments):
    """The CLI's --json output, parsed; its stderr as the failure when it exits non-zero."""
    done = subprocess.run([CLI, *arguments, "--json"], capture_output=True, text=True)
    if done.returncode != 0:
        raise AssertionError(done.stderr)
    return json.loads(done.stdout)
