#!/usr/bin/env python3
"""Renders async-profiler's collapsed stacks (one "frame;frame;... count" per line) as an SVG flame graph.

    python3 bench/flamegraph.py profile.collapsed "Title" > docs/flame.svg [--min 0.002]

The root spans the whole width; each frame's width is its share of the samples, its children stacked above it.
Frames below --min of the samples are left out. Colours say where a frame comes from: the gateway, Camel, H2,
Artemis, the HTTP stack, the JVM (JIT, GC) and the rest."""
import html
import sys

WIDTH, ROW, FONT = 1600, 16, 11
PALETTE = [("io/mehery", "#e6873c"), ("org/apache/camel", "#d8b04a"), ("org/h2", "#5aa86b"),
           ("activemq", "#9a6fc4"), ("org/apache/tomcat", "#4f8fcf"), ("org/apache/coyote", "#4f8fcf"),
           ("org/springframework", "#7fb069"), ("com/fasterxml", "#c7a0d9"), ("openapi", "#d96c6c"),
           ("swagger", "#d96c6c"), ("Compile", "#b0b0b0"), ("Phase", "#b0b0b0"), ("GC", "#8c8c8c")]


def colour(frame):
    return next((c for key, c in PALETTE if key in frame), "#e8c88a" if "/" in frame else "#c9c9c9")


def tree(path, minimum):
    root, total = {"n": 0, "c": {}}, 0
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        if not stack:
            continue
        n = int(count)
        total += n
        node = root
        node["n"] += n
        for frame in stack.split(";"):
            node = node["c"].setdefault(frame, {"n": 0, "c": {}})
            node["n"] += n
    return root, total


def render(root, total, title, minimum):
    rects, depth_max = [], 0

    def walk(node, name, x, depth):
        nonlocal depth_max
        width = node["n"] / total * WIDTH
        if node["n"] / total < minimum:
            return
        depth_max = max(depth_max, depth)
        rects.append((x, depth, width, name, node["n"]))
        child_x = x
        for child_name, child in sorted(node["c"].items(), key=lambda kv: -kv[1]["n"]):
            walk(child, child_name, child_x, depth + 1)
            child_x += child["n"] / total * WIDTH

    walk(root, "all", 0.0, 0)
    height = (depth_max + 1) * ROW + 40
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'font-family="monospace" font-size="{FONT}">',
           f'<rect width="100%" height="100%" fill="#ffffff"/>',
           f'<text x="8" y="18" font-size="14">{html.escape(title)} ({total:,} samples)</text>']
    for x, depth, width, name, n in rects:
        y = height - (depth + 1) * ROW - 4
        short = name.rsplit("/", 1)[-1]
        label = f"{name} ({n * 100 / total:.1f}%)"
        out.append(f'<g><title>{html.escape(label)}</title><rect x="{x:.1f}" y="{y}" width="{max(width - 0.5, 0.1):.1f}" '
                   f'height="{ROW - 1}" fill="{colour(name)}"/>')
        chars = int(width / (FONT * 0.62))
        if chars >= 3:
            text = short if len(short) <= chars else short[:chars - 2] + ".."
            out.append(f'<text x="{x + 2:.1f}" y="{y + ROW - 4}">{html.escape(text)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":
    minimum = float(sys.argv[sys.argv.index("--min") + 1]) if "--min" in sys.argv else 0.002
    root, total = tree(sys.argv[1], minimum)
    print(render(root, total, sys.argv[2] if len(sys.argv) > 2 else sys.argv[1], minimum))
