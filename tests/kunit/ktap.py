#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Parse the KTAP output of raftlog's KUnit module out of a VM console log.

usage: ktap.py [-v] LOG SUITE...

LOG is the console of a guest-kunit.sh boot: the kernel log it dumps sits
between @@DMESG-BEGIN and @@DMESG-END. Every SUITE must appear with a
plan, one result per planned case and a suite result; a suite that is
missing or stops early (a crash) counts its unreported cases as failed.
Skipped cases count as failed: a test that did not run proved nothing.

Prints one line per failed case (with its diagnostics), one summary line
per suite, and last "KTAP <passed> <failed>". Exit status 0 only when
every planned case of every suite passed.
"""
import re
import sys

STAMP = re.compile(r'^\[\s*\d+\.\d+\] ?')
SUBTEST = re.compile(r'^    # Subtest: (\S+)')
PLAN = re.compile(r'^    1\.\.(\d+)\s*$')
CASE = re.compile(r'^    (ok|not ok) (\d+) (\S+)(.*)$')
PARAM = re.compile(r'^        (ok|not ok) (\d+) (.*)$')
DIAG = re.compile(r'^ +# (?!Subtest:)(.*)$')
STATS = re.compile(r': pass:\d+ fail:\d+ skip:\d+ total:\d+$')
SUITE_END = re.compile(r'^(ok|not ok) (\d+) (\S+)')


class Suite:
    def __init__(self, name):
        self.name = name
        self.plan = None
        self.cases = []         # (name, passed, note, diagnostics)
        self.params = [0, 0]    # passed, failed
        self.done = False
        self.ok = False


def kernel_log(path):
    lines, inside = [], False
    with open(path, errors='replace') as f:
        for raw in f:
            raw = raw.rstrip('\n')
            if raw.startswith('@@DMESG-BEGIN'):
                inside = True
            elif raw.startswith('@@DMESG-END'):
                inside = False
            elif inside:
                lines.append(STAMP.sub('', raw))
    return lines


def parse(lines):
    suites, cur, diag = {}, None, []
    for line in lines:
        m = SUBTEST.match(line)
        if m:
            cur = suites.setdefault(m.group(1), Suite(m.group(1)))
            diag = []
            continue
        if cur is None:
            continue
        m = PLAN.match(line)
        if m and cur.plan is None:
            cur.plan = int(m.group(1))
            continue
        m = DIAG.match(line)
        if m:
            if not STATS.search(line):
                diag.append(m.group(1))
            continue
        m = PARAM.match(line)
        if m:
            cur.params[0 if m.group(1) == 'ok' else 1] += 1
            continue
        m = CASE.match(line)
        if m:
            note = m.group(4).strip()
            passed = m.group(1) == 'ok' and 'SKIP' not in note
            cur.cases.append((m.group(3), passed, note, diag))
            diag = []
            continue
        m = SUITE_END.match(line)
        if m and m.group(3) == cur.name:
            cur.done = True
            cur.ok = m.group(1) == 'ok'
            cur = None
    return suites


def main(argv):
    verbose = False
    if argv and argv[0] == '-v':
        verbose, argv = True, argv[1:]
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    suites = parse(kernel_log(argv[0]))
    npass = nfail = 0
    for name in argv[1:]:
        s = suites.get(name)
        if s is None:
            print(f'FAIL {name}: suite did not run (no KTAP output)')
            nfail += 1
            continue
        sp = sf = 0
        for case, passed, note, diag in s.cases:
            if passed:
                sp += 1
                if verbose:
                    print(f'PASS {name}.{case}')
                continue
            sf += 1
            print(f'FAIL {name}.{case} {note}'.rstrip())
            for d in diag[:12]:
                print(f'     # {d}')
        missing = 0
        if s.plan is None:
            print(f'FAIL {name}: no test plan')
            missing = 1
        elif len(s.cases) < s.plan:
            missing = s.plan - len(s.cases)
            print(f'FAIL {name}: {missing} of {s.plan} cases never '
                  'reported (crash?)')
        elif len(s.cases) > s.plan:
            print(f'FAIL {name}: {len(s.cases)} results for a plan of '
                  f'{s.plan}')
            missing = 1
        if not s.done:
            print(f'FAIL {name}: no suite result line (crash?)')
            missing = max(missing, 1)
        elif s.ok != (sf == 0 and missing == 0):
            print(f'FAIL {name}: suite result disagrees with its cases')
            missing = max(missing, 1)
        sf += missing
        npass += sp
        nfail += sf
        print(f'suite {name}: {sp} passed, {sf} failed '
              f'({s.params[0] + s.params[1]} parameterised runs, '
              f'{s.params[1]} failed)')
    print(f'KTAP {npass} {nfail}')
    return 0 if nfail == 0 and npass > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
