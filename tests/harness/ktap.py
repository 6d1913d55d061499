"""Parser for KTAP version 1 test output (Linux Documentation/dev-tools/ktap.rst).

The kernel prints a top-level test list whose entries are usually suites: each
suite's cases are indented one level deeper and followed by the suite's own
result line at the outer level. For example:

    KTAP version 1
    1..1
        KTAP version 1
        # Subtest: timer
        1..1
        ok 1 ticks
    ok 1 timer

Recognised lines (after indentation): "KTAP version N", "1..N" plans,
"# Subtest: NAME", "ok N NAME [# DIRECTIVE]", "not ok N NAME [# DIRECTIVE]" and
other "#" diagnostic lines. Everything else is noise (firmware text, log lines)
and is ignored. Nesting is by indentation: any indentation deeper than the
current level's opens a nested level, and each level keeps whatever
indentation its first line had.

Statuses: "ok ... # SKIP reason" is 'skip'. A TODO directive means "expected
to fail", so it is reported as 'ok'. "not ok ... # SKIP" stays 'not ok': a
failure should never be hidden by a directive.

Diagnostics: a "#" line belongs to the next result at its level. If the result
before it was 'not ok', the line is also attached to that failure, because
frameworks print failure details both before and after the result line.
Diagnostic lines indented deeper than the current level (but not starting a
nested test) belong to the current level.
"""

import re
from dataclasses import dataclass, field

_HEADER = re.compile(r'K?TAP version (\d+)$')
_PLAN = re.compile(r'1\.\.(\d+)$')
_SUBTEST = re.compile(r'# Subtest: (.*)$')
# Name is everything up to the first " #" (the directive); a TAP-style "- " before it is dropped.
_RESULT = re.compile(r'(ok|not ok) (\d+)(?: (?:- )?(.*?))?(?:\s+#\s*(.*))?$')
_DIAGNOSTIC = re.compile(r'#.*$')
_DIRECTIVE = re.compile(r'(SKIP|TODO)\b\s*(.*)$', re.IGNORECASE)


@dataclass
class Result:
    """One leaf test case.

    suite is the dotted path of enclosing subtest names ("" at top level);
    status is 'ok', 'not ok' or 'skip'; reason is the SKIP/TODO text, if any.
    """

    suite: str
    name: str
    status: str
    number: int
    diagnostics: list = field(default_factory=list)
    reason: str = ''


@dataclass
class Suite:
    """A nested test list and the outer result line that closed it.

    name is the dotted path of subtest names. status/number are None if the
    closing line never appeared (truncated output). results holds the leaf
    cases at any depth inside the suite. diagnostics holds the '#' lines after
    the suite's last case, then those before its closing line: that is where a
    crash report lands when the output stops in the middle of a suite.
    """

    name: str
    status: str | None
    number: int | None
    plan: int | None
    results: list = field(default_factory=list)
    diagnostics: list = field(default_factory=list)


@dataclass
class Report:
    """Everything parse() found: leaf results, suites, and structural problems."""

    results: list
    suites: list
    problems: list

    def failures(self):
        """Leaf results and suites whose status is 'not ok'."""
        return [r for r in self.results + self.suites if r.status == 'not ok']

    def passed(self):
        """True if the output is well-formed and nothing failed."""
        return not self.problems and not self.failures()


@dataclass
class _Level:
    """Parser state for one test list (top level or one nested suite)."""

    indent: int
    name: str = ''
    header: bool = False
    plan: int | None = None
    # Each entry is [result or None, nested _Level or None]; a nested level
    # gets its entry when it opens and its result when the closing line arrives.
    entries: list = field(default_factory=list)
    pending: list = field(default_factory=list)  # diagnostics awaiting the next result
    last: Result | None = None


def parse(text):
    """Parse KTAP text into a Report; never raises on malformed input.

    Structural errors (missing header or plan, plan/count mismatch, a nested
    suite without its closing result line, inconsistent indentation, ...) are
    described in Report.problems.
    """
    problems = []
    stack = []
    for lineno, line in enumerate(text.splitlines(), 1):
        body = line.strip()
        kind, match = _classify(body)
        if kind is None:
            continue
        indent = len(line) - len(line.lstrip())
        level = _level_for(stack, indent, kind, lineno, problems)
        if level is not None:
            _apply(level, kind, match, lineno, problems)
    if not stack:
        stack.append(_Level(0))
    return _finish(stack[0], problems)


def _classify(body):
    """Return (kind, match) for a stripped line, or (None, None) if it is not KTAP."""
    for kind, pattern in (('header', _HEADER), ('plan', _PLAN), ('subtest', _SUBTEST),
                          ('result', _RESULT), ('diag', _DIAGNOSTIC)):
        match = pattern.match(body)
        if match:
            return kind, match
    return None, None


def _level_for(stack, indent, kind, lineno, problems):
    """Find (or open) the level a line at `indent` belongs to, updating `stack`.

    Returns None if the line should be dropped: it fits no open level
    (inconsistent indentation), or it is a '#' line before any KTAP line.
    """
    if not stack:
        if kind == 'diag':
            return None  # '#' lines before any KTAP line are just noise
        stack.append(_Level(indent))
        return stack[0]
    if indent > stack[-1].indent:
        if kind == 'diag':
            return stack[-1]
        child = _Level(indent)
        stack[-1].entries.append([None, child])
        stack.append(child)
        return child
    while len(stack) > 1 and indent < stack[-1].indent:
        stack.pop()
    if indent != stack[-1].indent:
        problems.append(f'line {lineno}: indentation {indent} matches no open test level')
        return None
    return stack[-1]


def _apply(level, kind, match, lineno, problems):
    """Record one KTAP line in its level."""
    if kind == 'header':
        if level.header or level.plan is not None or level.entries:
            problems.append(f'line {lineno}: unexpected KTAP header in the middle of a test list')
        elif match.group(1) != '1':
            problems.append(f'line {lineno}: KTAP version {match.group(1)}, expected 1')
        level.header = True
    elif kind == 'plan':
        if level.plan is not None:
            problems.append(f'line {lineno}: second plan line in the same test list')
        else:
            level.plan = int(match.group(1))
    elif kind == 'subtest':
        if level.name:
            problems.append(f'line {lineno}: second "# Subtest:" line for {level.name!r}')
        else:
            level.name = match.group(1).strip()
    elif kind == 'result':
        _add_result(level, match, lineno, problems)
    else:
        _add_diagnostic(level, match.group(0))


def _add_diagnostic(level, line):
    """Queue a '#' line for the next result, and give it to a preceding failure too."""
    level.pending.append(line)
    if level.last is not None and level.last.status == 'not ok':
        level.last.diagnostics.append(line)


def _add_result(level, match, lineno, problems):
    """Turn a result line into a Result; it closes the latest nested level if that is still open."""
    outcome, number, name, directive = match.groups()
    result = Result('', (name or '').strip(), outcome, int(number), level.pending)
    level.pending = []
    kw = _DIRECTIVE.match(directive or '')
    if kw:
        result.reason = kw.group(2).strip()
        if kw.group(1).upper() == 'TODO':
            result.status = 'ok'
        elif outcome == 'ok':
            result.status = 'skip'
    expected = len(level.entries) + (0 if _open_entry(level) else 1)
    if result.number != expected:
        problems.append(f'line {lineno}: test number {result.number}, expected {expected}')
    entry = _open_entry(level)
    if entry:
        entry[0] = result
        child = entry[1]
        if child.name and result.name and child.name != result.name:
            problems.append(f'line {lineno}: result {result.name!r} closes subtest {child.name!r}')
    else:
        level.entries.append([result, None])
    level.last = result


def _open_entry(level):
    """The last entry if it is a nested level still waiting for its result line."""
    if level.entries and level.entries[-1][0] is None:
        return level.entries[-1]
    return None


def _finish(top, problems):
    """Check every level's header and plan, and flatten the tree into a Report."""
    results, suites = [], []
    _check_level(top, 'top level', problems)
    _collect(top, [], results, suites, problems)
    return Report(results, suites, problems)


def _check_level(level, what, problems):
    if not level.header:
        problems.append(f'{what}: missing "KTAP version 1" header')
    if level.plan is None:
        problems.append(f'{what}: missing plan line')
    elif level.plan != len(level.entries):
        problems.append(f'{what}: plan says {level.plan} tests but {len(level.entries)} were reported')


def _collect(level, path, results, suites, problems):
    """Append the leaves under `level` to results and its nested suites to suites (pre-order)."""
    for result, child in level.entries:
        if child is None:
            result.suite = '.'.join(path)
            results.append(result)
            continue
        name = child.name or (result.name if result else '') or f'#{len(suites) + 1}'
        sub_path = path + [name]
        suite = Suite('.'.join(sub_path), None, None, child.plan, diagnostics=list(child.pending))
        if result is None:
            problems.append(f'suite {suite.name!r} never finished: no closing result line '
                            '(output truncated?)')
        else:
            suite.status, suite.number = result.status, result.number
            suite.diagnostics += result.diagnostics
        suites.append(suite)
        first = len(results)
        _check_level(child, f'suite {suite.name!r}', problems)
        _collect(child, sub_path, results, suites, problems)
        suite.results = results[first:]
