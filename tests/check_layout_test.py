#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The layout checker finds what it is for: a tree with one violation of
each kind must fail with each named, and a clean tree must pass."""
import os
import subprocess
import sys
import tempfile

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools", "check_layout.py")


def write(root, path, text):
    os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
    with open(os.path.join(root, path), "w") as f:
        f.write(text)


def run(src, objs=None):
    args = [sys.executable, CHECK, src] + (["--objects", objs] if objs else [])
    p = subprocess.run(args, capture_output=True, text=True)
    return p.returncode, p.stdout


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as d:
        src, obj = os.path.join(d, "src"), os.path.join(d, "obj")
        write(src, "model/a.h", "int a(void);\n")
        write(src, "model/a.c", '#include "model/a.h"\nint b(void);\nint a(void) { return b(); }\n')
        write(src, "base/b.c", "int a(void);\nint b(void) { return a(); }\n")
        write(src, "sink/s.c", '#include "model/a.h"\nvoid s(void) { a(); }\n')
        rc, out = run(src)
        if rc or out:
            print(f"check_layout_test: a clean tree failed: {out}")
            failures += 1
        write(src, "base/up.c", '#include "sink/s.h"\n')
        write(src, "sink/s.h", "void s(void);\n")
        write(src, "sink/sorts.c", "#include <stdlib.h>\nvoid t(int *v) { qsort(v, 1, 4, 0); }\n")
        for f in ("model/a.c", "base/b.c"):
            os.makedirs(os.path.join(obj, os.path.dirname(f)), exist_ok=True)
            subprocess.run(["cc", "-c", "-I", src, os.path.join(src, f), "-o",
                            os.path.join(obj, f[:-2] + ".o")], check=True)
        rc, out = run(src, obj)
        for want in ("includes sink/s.h, which is above base", "calls qsort()", "call cycle:"):
            if rc != 1 or want not in out:
                print(f"check_layout_test: expected '{want}' in: {out!r}")
                failures += 1
    print(f"check_layout_test: {3 + 1 - failures} of 4 checks caught")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
