"""What the tree-sitter readers share: a node's source text."""

from __future__ import annotations

import tree_sitter


def node_text(node: tree_sitter.Node | None) -> str:
    """The source text of `node` ("" for none)."""
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""
