"""The check run's Markdown as plain text for a terminal: escapes resolved, tables as columns, no tags.

One renderer writes Markdown (the check run); this reads it back with a CommonMark + GFM-tables parser,
so the terminal shows exactly what GitHub would, minus the markup.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_MAX_COLUMN = 80


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough")


def markdown_to_text(markdown: str) -> str:
    root = SyntaxTreeNode(_parser().parse(markdown))
    blocks = [_block(node) for node in root.children]
    return "\n\n".join(block for block in blocks if block.strip()) + "\n"


def _inline(node: SyntaxTreeNode) -> str:
    if node.type == "text":
        return node.content
    if node.type == "code_inline":
        return node.content
    if node.type in ("softbreak", "hardbreak"):
        return " " if node.type == "softbreak" else "\n"
    if node.type == "html_inline":
        return ""
    if node.type == "image":
        return "".join(_inline(child) for child in node.children)
    inner = "".join(_inline(child) for child in node.children)
    if node.type == "link":
        href = str(node.attrs.get("href", ""))
        return inner if not href or href == inner else f"{inner} ({href})"
    return inner


def _text_of(node: SyntaxTreeNode) -> str:
    return "".join(_inline(child) for child in node.children) if node.type == "inline" else ""


def _block(node: SyntaxTreeNode, depth: int = 0) -> str:
    kind = node.type
    if kind == "heading":
        title = _text_of(node.children[0]) if node.children else ""
        return _underlined(title, node.tag)
    if kind == "paragraph":
        return _text_of(node.children[0]) if node.children else ""
    if kind in ("fence", "code_block"):
        return "\n".join("    " + line for line in node.content.rstrip("\n").split("\n"))
    if kind == "html_block":
        return _TAG.sub("", node.content).strip()
    if kind == "blockquote":
        inner = "\n\n".join(_block(child, depth) for child in node.children)
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))
    if kind in ("bullet_list", "ordered_list"):
        return _list(node, depth)
    if kind == "table":
        return _table(node)
    if kind == "hr":
        return "-" * 40
    return "\n".join(_block(child, depth) for child in node.children)


def _underlined(title: str, tag: str) -> str:
    mark = "=" if tag in ("h1", "h2") else "-"
    return f"{title}\n{mark * min(len(title), _MAX_COLUMN)}"


def _list(node: SyntaxTreeNode, depth: int) -> str:
    lines: list[str] = []
    start = int(str(node.attrs.get("start", 1) or 1)) if node.type == "ordered_list" else 0
    for i, item in enumerate(node.children):
        bullet = f"{start + i}." if node.type == "ordered_list" else "-"
        parts = [_block(child, depth + 1) for child in item.children]
        text = "\n".join(part for part in parts if part)
        first, *rest = text.split("\n") if text else [""]
        indent = "  " * depth
        lines.append(f"{indent}{bullet} {first}")
        lines.extend(f"{indent}  {line}" if not line.startswith(indent + "  ") else line for line in rest)
    return "\n".join(lines)


def _table(node: SyntaxTreeNode) -> str:
    rows: list[list[str]] = []
    for section in node.children:  # thead, tbody
        for tr in section.children:
            rows.append([_cell(td) for td in tr.children])
    if not rows:
        return ""
    columns = max(len(row) for row in rows)
    widths = [
        min(_MAX_COLUMN, max((len(row[c]) for row in rows if c < len(row)), default=0))
        for c in range(columns)
    ]
    out: list[str] = []
    for n, cells in enumerate(rows):
        out.append("  ".join(text.ljust(widths[c]) for c, text in enumerate(cells)).rstrip())
        if n == 0:
            out.append("  ".join("-" * width for width in widths))
    return "\n".join(out)


def _cell(node: SyntaxTreeNode) -> str:
    return " ".join(_text_of(child) for child in node.children).strip()
