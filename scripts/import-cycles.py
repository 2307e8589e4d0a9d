#!/usr/bin/env python3
"""Import cycles between the top-level modules of each client crate.

Crates cannot import each other in a cycle (cargo refuses), so the layering between crates is
enforced by the build. Inside one crate rustc accepts any cycle; this script finds them: it
resolves every `crate::module` path (in `use` lines, grouped `use crate::{a, b::c}` and inline
paths) outside `#[cfg(test)]` modules, builds the module graph and prints its strongly
connected components of more than one module. Exit 1 when there is one.

    scripts/import-cycles.py [CRATE_SRC_DIR ...]   (default: every client/*/src)
"""
import glob
import os
import re
import sys


def strip_tests(text):
    """Drop `#[cfg(test)] mod x { ... }` bodies (test-only edges may go anywhere)."""
    out, i = [], 0
    for match in re.finditer(r"#\[cfg\(test\)\]\s*(pub(\([^)]*\))?\s+)?mod\s+\w+\s*\{", text):
        if match.start() < i:
            continue
        out.append(text[i:match.start()])
        depth, j = 1, match.end()
        while j < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
        i = j
    out.append(text[i:])
    return "".join(out)


def strip_comments(text):
    return re.sub(r"//[^\n]*", "", text)


def top_module(src, path):
    rel = os.path.relpath(path, src)
    parts = rel[:-3].split(os.sep)
    if parts[0] in ("lib", "main") and len(parts) == 1:
        return None
    if parts[0] == "bin" and not src.rstrip(os.sep).endswith(os.path.join("bin", parts[0])):
        return None
    return parts[0]


def crate_paths(text):
    """Every `crate::x` a file names, grouped imports expanded one level."""
    names = set(re.findall(r"\bcrate::(\w+)", text))
    for group in re.findall(r"\bcrate::\{([^;]*?)\}\s*;", text, flags=re.S):
        depth, token = 0, ""
        for ch in group + ",":
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                head = token.strip().split("::")[0].strip()
                if head:
                    names.add(head)
                token = ""
            else:
                token += ch
    return names


def root_reexports(src):
    """Names the crate root re-exports from its own modules (`pub use error::{Error, Result}`),
    so `crate::Error` counts as an edge to `error`."""
    names = {}
    for root in ("lib.rs", "main.rs"):
        path = os.path.join(src, root)
        if not os.path.exists(path):
            continue
        text = strip_comments(open(path, encoding="utf-8").read())
        for module, items in re.findall(r"pub use (\w+)::\{?([^;}]*)\}?;", text):
            for item in items.split(","):
                item = item.strip().split(" as ")[-1].strip()
                if item:
                    names[item] = module
    return names


def graph(src):
    modules = {}
    reexports = root_reexports(src)
    for path in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        module = top_module(src, path)
        if module is None:
            continue
        modules.setdefault(module, set())
    for path in glob.glob(os.path.join(src, "**", "*.rs"), recursive=True):
        module = top_module(src, path)
        if module is None:
            continue
        text = strip_comments(strip_tests(open(path, encoding="utf-8").read()))
        for name in crate_paths(text):
            name = reexports.get(name, name)
            if name in modules and name != module:
                modules[module].add(name)
        # `super::x` from a file directly under a module directory stays inside that module.
    return modules


def components(edges):
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            out.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # Each library, and each binary (`src/bin/NAME/`) as the crate it is.
    sources = sys.argv[1:] or sorted(
        glob.glob(os.path.join(root, "client", "*", "src")) + glob.glob(os.path.join(root, "client", "*", "src", "bin", "*", ""))
    )
    found = False
    for src in sources:
        edges = graph(src)
        cycles = [c for c in components(edges) if len(c) > 1]
        src = src.rstrip(os.sep)
        name = os.path.relpath(src, root)
        if cycles:
            found = True
            for cycle in cycles:
                print(f"{name}: cycle among {', '.join(cycle)}")
        else:
            print(f"{name}: {len(edges)} modules, no import cycle")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
