"""python -m smartcity.demo: regenerate the committed demo spreadsheets under data/demo/."""
from smartcity.demo import DEMO_DIR, regenerate

paths = regenerate()
print(f"{len(paths)} demo files written under {DEMO_DIR}")
