"""Collect test outcomes from every source and print the one summary line.

Every check the harness makes is recorded here under a readable name, so
the final `N passed, N failed, N skipped` counts host unit tests, in-kernel
cases and harness checks alike.
"""
import threading

PASS, FAIL, SKIP = 'pass', 'fail', 'skip'


class Tally:
    """Thread-safe list of (name, outcome, detail)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.entries = []

    def record(self, name, outcome, detail=''):
        """Record one outcome and echo it as a progress line."""
        with self._lock:
            self.entries.append((name, outcome, detail))
            mark = {PASS: 'ok  ', FAIL: 'FAIL', SKIP: 'skip'}[outcome]
            suffix = f'  ({detail})' if detail and outcome != PASS else ''
            print(f'  {mark} {name}{suffix}', flush=True)

    def check(self, name, condition, detail=''):
        """Record PASS when condition holds, else FAIL with detail."""
        self.record(name, PASS if condition else FAIL, detail)
        return condition

    def count(self, outcome):
        return sum(1 for _, o, _ in self.entries if o == outcome)

    def failures(self):
        return [(n, d) for n, o, d in self.entries if o == FAIL]

    def summary(self):
        """The contract's last line: `N passed, N failed[, N skipped]`."""
        line = f'{self.count(PASS)} passed, {self.count(FAIL)} failed'
        skipped = self.count(SKIP)
        return line + (f', {skipped} skipped' if skipped else '')
