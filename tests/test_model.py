"""The data model's memory behaviour: trees without reference cycles, results that cross processes."""

from __future__ import annotations

import copy
import gc
import pickle
import weakref

from builders import SEED_FIXTURE

from xladdin import read_table
from xladdin.consolidation.model import Entry, LeafRow
from xladdin.consolidation.workers import _read_one
from xladdin.core.grading import DEFAULT_GRADING
from xladdin.core.model import Indicator, Issue


def test_a_table_is_freed_without_the_cycle_collector():
    # thousands of tables are read in one process: each must go as soon as it is dropped
    gc.collect()
    gc.disable()
    try:
        table = read_table(SEED_FIXTURE)
        leaf = next(table.leaves())
        refs = [weakref.ref(n) for n in table.walk() if n is not leaf]
        assert len(refs) > 40
        del table
        assert all(r() is None for r in refs)
        # a node kept on its own loses its parent but not its place in the tree
        assert leaf.parent is None
        assert leaf.path == ("部门规划", "部门年度计划", "部门年度计划合理性")
    finally:
        gc.enable()


def test_parent_links_and_paths():
    root = Indicator(1, "产出", 0)
    mid = Indicator(2, "产出数量", 1, parent=root)
    root.children.append(mid)
    leaf = Indicator(3, "实际完成率", 2, weight=5.0, parent=mid)
    mid.children.append(leaf)
    assert leaf.parent is mid and mid.parent is root and root.parent is None
    assert leaf.path == ("产出", "产出数量", "实际完成率")
    other = Indicator(1, "效益", 9)
    leaf.parent = other
    assert leaf.parent is other and leaf.path == ("效益", "实际完成率")


def test_a_tree_survives_copy_and_pickle():
    table = read_table(SEED_FIXTURE)
    for clone in (copy.deepcopy(table), pickle.loads(pickle.dumps(table))):
        assert [n.path for n in clone.walk()] == [n.path for n in table.walk()]
        assert [(n.weight, n.score, n.cells) for n in clone.walk()] == [(n.weight, n.score, n.cells) for n in table.walk()]
        for node in clone.walk():
            for child in node.children:
                assert child.parent is node
    leaf = next(table.leaves())
    alone = pickle.loads(pickle.dumps(leaf))
    assert alone.parent is None and alone.path == leaf.path


def test_results_cross_processes_unchanged():
    e = _read_one(0, str(SEED_FIXTURE), "seed.xlsx", DEFAULT_GRADING)
    assert e.leaves and e.issues
    back = pickle.loads(pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == e and isinstance(back, Entry)
    assert isinstance(back.leaves[0], LeafRow) and isinstance(back.issues[0], Issue)
    assert back.issues[0].path == e.issues[0].path
