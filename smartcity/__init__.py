"""Kotim Smart City action-plan and KPI dashboard: all logic, importable without Streamlit."""
import gc
import os
import sys

__version__ = "0.1.0"

# Python's collector looks for garbage cycles after every 700 new objects that can hold others. A
# page's first run makes millions (its queries' frames, tables and figures, the modules it imports),
# and at 100,000 actions those passes took ~0.15 s of it (issue 7). Every 20,000 still collects
# cycles, less often. Set on the first import of the package: the app, its pages and the CLI.
GC_FIRST_GENERATION = 20_000
if gc.get_threshold()[0] < GC_FIRST_GENERATION:
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])

# Arrow's buffers from the C library's allocator, not from mimalloc (pyarrow's default here), which keeps
# what a large upload's tables let go: after previewing the 100,000-row file the app held 436 MB with
# mimalloc, 385 MB so (303 MB once glibc trimmed, against 418 MB), and its peak in the load was ~15 MB lower,
# its time the same. The reading worker imports this package too, and reads the same way. Set before
# pyarrow makes its default pool, or, when something (Streamlit) has imported pyarrow already, in it.
if "ARROW_DEFAULT_MEMORY_POOL" not in os.environ:
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].set_memory_pool(sys.modules["pyarrow"].system_memory_pool())
