#!/usr/bin/env python3
"""Lists C++ function bodies longer than a limit (default 80 lines).

A heuristic that fits this code base's formatting (clang-format, Google style): a body starts
at a line ending in '{' whose statement looks like a function head (has '(' and no keyword such
as if/for/while/switch/namespace/struct/class), and ends at its matching brace. Lambdas and
nested blocks count towards the enclosing function.
Usage: long_functions.py [--max N] PATH...   (exit 1 when any is found)
"""
import re
import sys
from pathlib import Path

NOT_FUNCTION = re.compile(r'^\s*(if|for|while|switch|else|do|try|catch|namespace|struct|class|enum|union|extern)\b')


def strip_code(text):
    """Blanks out comments and string/char literals, keeping line structure."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith('//', i):
            j = text.find('\n', i)
            j = n if j < 0 else j
            i = j
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            out.append(''.join('\n' if ch == '\n' else ' ' for ch in text[i:j]))
            i = j
        elif text.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', text[i:])
            end = text.find(')' + m.group(1) + '"', i) if m else -1
            j = n if end < 0 else end + len(m.group(1)) + 2
            out.append('""' + '\n' * text[i:j].count('\n'))
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            out.append(c + c)
            i = j + 1
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def long_functions(path, limit):
    lines = strip_code(Path(path).read_text()).split('\n')
    found, depth, start, head = [], 0, None, ''
    for no, line in enumerate(lines, 1):
        stripped = line.strip()
        if start is None and stripped:
            head = (head + ' ' + stripped)[-400:]
        for ch in line:
            if ch == '{':
                if start is None and '(' in head and not NOT_FUNCTION.match(head.split(';')[-1].split('}')[-1]):
                    start, start_depth, name = no, depth, head
                depth += 1
            elif ch == '}':
                depth -= 1
                if start is not None and depth == start_depth:
                    length = no - start + 1
                    if length > limit:
                        sig = re.sub(r'\s+', ' ', name.split(';')[-1].split('}')[-1]).strip()
                        found.append((length, start, sig[:100]))
                    start = None
        if stripped.endswith((';', '}', '{')) or stripped.startswith('#'):
            head = ''
    return found


def main(argv):
    limit, paths = 80, []
    it = iter(argv)
    for a in it:
        if a == '--max':
            limit = int(next(it))
        else:
            paths.append(a)
    files = []
    for p in map(Path, paths):
        files += sorted(p.rglob('*.cpp')) + sorted(p.rglob('*.hpp')) if p.is_dir() else [p]
    bad = 0
    for f in files:
        for length, line, sig in long_functions(f, limit):
            print(f'{f}:{line}: {length} lines: {sig}')
            bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
