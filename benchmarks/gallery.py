"""How fast the Gallery draws a 10x10 grid, against the obvious slower ways of doing it.

Run from the repository root:  python benchmarks/gallery.py [--repeats N] [--threads T]

Rows (median seconds over N fresh seeds, so no cached picture is reused):

- page rerun, warm: the whole Gallery page re-executed by Streamlit's AppTest after the seed
  changed, the generator already loaded (st.cache_resource). This is what a user waits
  for, plus AppTest's own overhead; the target is under 0.5 s.
- engine, batched: what the page computes for that rerun: one forward pass for the 100
  latents, one tiled sheet, one PNG.
- baseline, per image: the same 100 images drawn one forward pass and one PNG each, as a
  first-draft page that loops over st.image calls would.
- baseline, load per rerun: reading the generator from its HDF5 file, which every rerun
  would pay without st.cache_resource.
- baseline page, per image: a first-draft page (AppTest too) that loads the generator on
  every rerun and shows the grid as 100 st.image calls in 10 columns, one forward pass each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from gan_engine.judge import sampling  # noqa: E402
from gan_engine.runs.store import open_run  # noqa: E402

PAGE = str(ROOT / "pages" / "3_Gallery.py")
SPEC = "pretrained:mnist-cgan"


def _median_seconds(action, repeats: int) -> float:
    times = []
    for index in range(repeats):
        start = time.perf_counter()
        action(index)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def naive_page() -> None:
    """The baseline page: no caching, one forward pass and one st.image per digit."""
    import numpy as np
    import streamlit as st

    from gan_engine.judge import sampling
    from gan_engine.runs.store import open_run

    seed = int(st.number_input("seed", value=0, key="seed"))
    config, generator, _ = open_run("pretrained:mnist-cgan").load_models("cpu")
    z = sampling.latents(seed, 100, config.latent_dim)
    for row in range(10):
        for column, cell in enumerate(st.columns(10)):
            image = sampling.generate(generator, z[10 * row + column][None], np.array([row]))[0]
            cell.image(sampling.upscale(sampling.to_uint8(image), 2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--threads", type=int, default=1, help="torch CPU threads (a hosted demo has ~2 cores)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    at = AppTest.from_file(PAGE, default_timeout=60)
    cold_start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - cold_start
    assert not at.exception, at.exception
    at.selectbox(key="gallery_digit").set_value("all").run()   # ten rows of ten: 100 images

    def page_rerun(index: int) -> None:
        at.number_input(key="gallery_seed").set_value(1000 + index).run()
        assert not at.exception and not at.error

    run = open_run(SPEC)
    config, generator, _ = run.load_models("cpu")
    digits = np.repeat(np.arange(10), 10)

    def batched(index: int) -> None:
        images, _ = sampling.conditional_samples(generator, config.latent_dim, list(range(10)), 10, 2000 + index)
        sampling.png_bytes(sampling.upscale(sampling.tile_images(images, 10, border=True), 2))

    def per_image(index: int) -> None:
        z = sampling.latents(3000 + index, 100, config.latent_dim)
        for i in range(100):
            image = sampling.generate(generator, z[i:i + 1], digits[i:i + 1])[0]
            sampling.png_bytes(sampling.upscale(sampling.to_uint8(image), 4))

    def load(_: int) -> None:
        open_run(SPEC).load_models("cpu")

    naive = AppTest.from_function(naive_page, default_timeout=60).run()

    def naive_rerun(index: int) -> None:
        naive.number_input(key="seed").set_value(4000 + index).run()
        assert not naive.exception and len(naive.image) == 100

    rows = [("page rerun, warm (AppTest)", _median_seconds(page_rerun, args.repeats)),
            ("engine, batched (1 forward, 1 PNG)", _median_seconds(batched, args.repeats)),
            ("baseline, per image (100 forwards, 100 PNGs)", _median_seconds(per_image, args.repeats)),
            ("baseline, generator loaded per rerun", _median_seconds(load, args.repeats)),
            ("baseline page, per image (AppTest)", _median_seconds(naive_rerun, args.repeats))]
    print(f"10x10 grid of {SPEC}, torch threads {args.threads}, median of {args.repeats}")
    print(f"  {'first page run (loads the generator)':<48} {cold:8.3f} s")
    for name, seconds in rows:
        print(f"  {name:<48} {seconds:8.3f} s")
    print(f"  per-image baseline / batched engine: {rows[2][1] / rows[1][1]:.1f}x; "
          f"baseline page / Gallery page: {rows[4][1] / rows[0][1]:.1f}x")


if __name__ == "__main__":
    main()
