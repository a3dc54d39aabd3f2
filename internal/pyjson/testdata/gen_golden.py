#!/usr/bin/env python3
"""Regenerates the golden files of package pyjson (run by hand, never by tests).

cases.golden.json: for each input text of cases.json (all byte strings base64
encoded: lone surrogates are kept in WTF-8 form, which plain JSON cannot carry), whether json.loads accepts it and
what json.dumps writes with four option sets.
corpus.sha256: SHA-256 of json.dumps(json.loads(file)) for every file of
../shared/corpus, with the same four option sets.
"""
import base64, hashlib, json, os, sys

OPTS = {
    "default": {},
    "indent4": {"indent": 4},
    "noascii": {"ensure_ascii": False},
    "sorted": {"sort_keys": True, "indent": 2},
}

def dump_all(v):
    out = {}
    for name, kw in OPTS.items():
        # surrogatepass keeps lone surrogates (ensure_ascii=False) as WTF-8
        out[name] = json.dumps(v, **kw).encode("utf-8", "surrogatepass")
    return out

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    inputs = json.load(open(os.path.join(here, "cases.json"), encoding="utf-8"))
    cases = []
    for text in inputs:
        try:
            v = json.loads(text.encode("utf-8", "surrogatepass"))
        except (ValueError, RecursionError):
            cases.append({"in": base64.b64encode(text.encode("utf-8", "surrogatepass")).decode(), "ok": False})
            continue
        d = dump_all(v)
        cases.append({"in": base64.b64encode(text.encode("utf-8", "surrogatepass")).decode(), "ok": True, **{k: base64.b64encode(b).decode() for k, b in d.items()}})
    with open(os.path.join(here, "cases.golden.json"), "w", encoding="utf-8", errors="surrogatepass") as f:
        json.dump(cases, f, ensure_ascii=True, indent=1)
        f.write("\n")
    corpus = os.path.join(here, "..", "..", "..", "..", "shared", "corpus")
    lines = []
    for root, _, files in os.walk(corpus):
        for fn in sorted(files):
            if not fn.endswith(".json"):
                continue
            p = os.path.join(root, fn)
            v = json.loads(open(p, "rb").read())
            d = dump_all(v)
            rel = os.path.relpath(p, corpus)
            for name in OPTS:
                lines.append("%s %s %s" % (hashlib.sha256(d[name]).hexdigest(), name, rel))
    lines.sort(key=lambda l: (l.split(" ")[2], l.split(" ")[1]))
    with open(os.path.join(here, "corpus.sha256"), "w") as f:
        f.write("\n".join(lines) + "\n")

if __name__ == "__main__":
    main()
