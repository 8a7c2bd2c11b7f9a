"""The packing layout of bags, which features.packed writes and the kernels (kernels.py) read:
an article has sections TERMS, LEAD (title and lead) and ENTS; a story also the title+lead terms of
its first three originals, sections LEADS to LEADS + 2. A leaf: constants only, so that the
kernels import nothing of the engine and the engine reads the layout without loading numba."""
from __future__ import annotations

TERMS, LEAD, ENTS = 0, 1, 2
LEADS = 3
SECTIONS = 6
#: a story's pack (kernels.story_pack) starts with this many 4-byte words: its section offsets,
#: then the width of its signatures
PACK_HEAD = SECTIONS + 2
TOP = 5  # the heaviest entities an article or a story is compared by
