"""Kotim Smart City action-plan and KPI dashboard: all logic, importable without Streamlit."""
import gc

__version__ = "0.1.0"

# Python's collector looks for garbage cycles after every 700 new objects that can hold others. A
# page's first run makes millions (its queries' frames, tables and figures, the modules it imports),
# and at 100,000 actions those passes took ~0.15 s of it (issue 7). Every 20,000 still collects
# cycles, less often. Set on the first import of the package: the app, its pages and the CLI.
GC_FIRST_GENERATION = 20_000
if gc.get_threshold()[0] < GC_FIRST_GENERATION:
    gc.set_threshold(GC_FIRST_GENERATION, *gc.get_threshold()[1:])
