"""Errors of the run itself that are reported as findings, so that every output format
shows them (as ruff reports E902): the command line produces them, not a check."""

from __future__ import annotations

from collections.abc import Iterator

from digestlint.findings import Finding, Severity
from digestlint.registry import RuleContext, rule

FILE_NOT_WRITTEN = "DL002"


@rule(FILE_NOT_WRITTEN, "file-not-written", severity=Severity.ERROR, structural=False)
def file_not_written(context: RuleContext) -> Iterator[Finding]:
    """## What it does
    Reports a file that `--fix` fixed but could not write back: it is read-only, its
    disk is full, or it changed while it was being fixed. The file keeps its old text,
    and every finding in it is reported as remaining. The run exits 2, even with
    `--exit-zero`. The command line reports it (at line 1), whatever the selection.

    ## Why is this bad?
    A fix that was computed but not written looks like success in a summary or a CI
    log, while the file still has every problem it had.

    ## Example
    ```console
    $ chmod a-w report.md && digestlint --fix report.md
    report.md:1:1: error DL002 [file-not-written] fixes not written: Permission denied
    ```

    ## Use instead
    Make the file writable (or free some space) and run `--fix` again.

    ## Fix safety
    Not fixable.
    """
    del context  # produced by the command line when a write fails, not by a check
    return iter(())
