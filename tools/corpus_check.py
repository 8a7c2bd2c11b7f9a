"""Run a folder of someone else's test files through `storyline ingest` and count what happened.

    python tools/corpus_check.py /tmp/corpora/feedparser/tests [--list] [--db FILE]

Prints: files, tracebacks (must be 0), articles stored, refusals grouped by reason (numbers and
details inside parentheses folded so like reasons group), and the stored articles that look like
junk rather than news prose (fewer than `--min-words` words, or a text that does not read as prose),
each with its origin and first words, for a person to judge. `--list` prints every stored article.

The corpora are not part of the project; fetch them first, e.g.
    git clone --depth 1 https://github.com/kurtmckee/feedparser /tmp/fp   # then: /tmp/fp/tests
    git clone --depth 1 https://github.com/adbar/trafilatura /tmp/tr      # then: /tmp/tr/tests
"""
from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile


def reason_key(reason: str) -> str:
    """A refusal reason with its particulars folded, so like reasons count together."""
    r = re.sub(r"\(.*", "(…)", reason)           # exception details
    r = re.sub(r"\d[\d,.]*", "N", r)              # sizes, counts, record numbers
    r = re.sub(r"'[^']*'", "'…'", r)
    return r.strip()


def run(folder: str, db: str, workers: int) -> tuple[int, str, str]:
    exe = shutil.which("storyline")
    cmd = [exe] if exe else [sys.executable, "-c", "from storyline.cli import main; main()"]
    cmd += ["ingest", folder, "--db", db, "--no-cluster", "--workers", str(workers)]
    proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace")
    return proc.returncode, proc.stdout, proc.stderr


def file_of(origin: str, files: list[str]) -> str:
    """The input file of an origin (`file`, or `file#record`)."""
    if origin in files:
        return origin
    best = ""
    for f in files:
        if origin.startswith(f) and len(f) > len(best):
            best = f
    return best or origin


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--db", help="store to fill (default: a throwaway file)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--min-words", type=int, default=20, help="flag stored articles shorter than this")
    ap.add_argument("--list", action="store_true", help="print every stored article")
    ap.add_argument("--examples", type=int, default=3, help="example inputs shown per refusal reason")
    args = ap.parse_args(argv)

    from storyline.readers import expand_inputs
    from storyline.readers.base import count_words, reads_as_prose
    from storyline.store import open_store

    files = [f for f in expand_inputs([args.folder]) if isinstance(f, str)]
    tmp = None
    db = args.db
    if db is None:
        tmp = tempfile.mkdtemp(prefix="corpus-check-")
        db = os.path.join(tmp, "check.db")
    try:
        code, out, err = run(args.folder, db, args.workers)
        failed = []
        other = []
        for line in err.splitlines():
            if line.startswith("failed: "):
                rest = line[len("failed: "):]
                # `failed: INPUT: reason`; an input path may hold ": " itself, so match known files
                origin, reason = rest, ""
                for f in files:
                    if rest.startswith(f):
                        tail = rest[len(f):]
                        m = re.match(r"(#[^:]*(?::[^ ][^:]*)*)?: (.*)$", tail)
                        if m:
                            origin, reason = f + (m.group(1) or ""), m.group(2)
                            break
                if not reason and ": " in rest:
                    origin, reason = rest.rsplit(": ", 1)
                failed.append((origin, reason))
            elif line.strip():
                other.append(line)
        tracebacks = sum(1 for ln in other if ln.startswith("Traceback"))
        print(f"folder: {args.folder}")
        print(f"files: {len(files)}")
        print(f"exit code: {code}   summary: {out.strip().splitlines()[-1] if out.strip() else '-'}")
        print(f"tracebacks: {tracebacks}")
        if other and (tracebacks or code not in (0, 1)):
            print("stderr other than failed: lines:")
            for ln in other[:40]:
                print("   ", ln)

        stored = []
        if os.path.exists(db):
            store = open_store(db)
            try:
                stored = [a for _, a in store.iter_articles()]
            finally:
                store.close()
        by_file = collections.Counter(file_of(a.origin or "", files) for a in stored)
        print(f"articles stored: {len(stored)} (from {len(by_file)} files)")

        groups: dict[str, list[str]] = collections.defaultdict(list)
        for origin, reason in failed:
            groups[reason_key(reason)].append(origin)
        refused_files = {file_of(o, files) for o, _ in failed}
        print(f"refusals: {len(failed)} (touching {len(refused_files)} files; "
              f"{len(refused_files - set(by_file))} files gave nothing at all)")
        for key, origins in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            print(f"  {len(origins):5d}  {key}")
            for o in origins[: args.examples]:
                print(f"           e.g. {os.path.relpath(o, args.folder) if o.startswith(args.folder) else o}")

        suspects = []
        for a in stored:
            words = count_words(" ".join(a.body))
            prose = reads_as_prose("\n".join(a.body))
            if words < args.min_words or not prose:
                suspects.append((a, words, prose))
        print(f"stored articles to judge by eye (< {args.min_words} words or not prose): {len(suspects)}")
        for a, words, prose in suspects:
            text = " ".join(a.body)[:110].replace("\n", " ")
            print(f"  {words:4d}w {'prose' if prose else 'NOT-PROSE'}  {os.path.relpath(a.origin or '', args.folder)}")
            print(f"        title: {a.title[:90]!r}")
            print(f"        body:  {text!r}")
        if args.list:
            print("stored articles:")
            for a in stored:
                print(f"  {os.path.relpath(a.origin or '', args.folder)}  | {a.title[:70]!r} | "
                      f"{count_words(' '.join(a.body))}w | {' '.join(a.body)[:80]!r}")
        return 1 if tracebacks else 0
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
