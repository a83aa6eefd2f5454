"""Rendition throughput: our pipeline vs libvips vs a plain Pillow pipeline, side by side.

    .venv/bin/python bench/renditions.py            # 50 photos of 4000x6000, 2 workers

Every pipeline turns each large JPEG into the same six renditions (2000 px max, 800x1000
fill and 400x500 fill, each as JPEG q85 and WebP q80) in a fresh pool of worker processes,
one photo per task. Reported: wall time for the whole set, the ratios ours/libvips and
ours/plain-Pillow, and the peak resident memory of each worker.

- ours:    media.renditions.generate.render(), the code the Celery task runs.
- libvips: pyvips ``thumbnail`` (shrink-on-load) once per size, saved as JPEG and WebP.
- plain:   Pillow decoding the full photo, then ``ImageOps.fit``/``thumbnail`` with LANCZOS
           from the full-size image, the way most Django thumbnail libraries do it.
"""
from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import os
import platform
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "bench" / "out" / "renditions"
JPEG_QUALITY = 85
WEBP_QUALITY = 80
WEBP_EFFORT = 4
# (kind, width, height): the typical channel set.
SIZES = [("max", 2000, 2000), ("fill", 800, 1000), ("fill", 400, 500)]
OUR_SPECS = [
    f"{kind}-{w}x{h}" if kind == "fill" else f"max-{w}" for kind, w, h in SIZES
]
OUR_SPECS = [f"{s}|format-jpeg|quality-{JPEG_QUALITY}" for s in OUR_SPECS] + [
    f"{s}|format-webp|quality-{WEBP_QUALITY}" for s in OUR_SPECS
]


# --------------------------------------------------------------------------- sources
def make_photo(args) -> str:
    """A photo-like JPEG: studio gradient, a garment with folds, fabric texture, sensor noise."""
    path, width, height, seed = args
    from PIL import Image, ImageDraw, ImageFilter

    rnd = random.Random(seed)
    small = (width // 8, height // 8)
    bg = Image.linear_gradient("L").resize(small).convert("RGB")
    tint = Image.new("RGB", small, tuple(rnd.randint(170, 240) for _ in range(3)))
    img = Image.blend(bg, tint, 0.75)
    draw = ImageDraw.Draw(img)
    colour = tuple(rnd.randint(20, 220) for _ in range(3))
    cx, top = small[0] // 2, small[1] // 8
    w = small[0] // 3
    draw.polygon([(cx - w // 2, top), (cx + w // 2, top), (cx + w, small[1] - top),
                  (cx - w, small[1] - top)], fill=colour)
    for _ in range(12):  # folds
        x = rnd.randint(cx - w, cx + w)
        shade = tuple(max(0, c - rnd.randint(10, 50)) for c in colour)
        draw.line([(x, top + 20), (x + rnd.randint(-40, 40), small[1] - top)], fill=shade, width=6)
    img = img.filter(ImageFilter.GaussianBlur(3)).resize((width, height), Image.BICUBIC)
    texture = Image.effect_noise((width // 3, height // 3), 30).resize((width, height))
    grain = Image.effect_noise((width, height), 20)
    img = Image.merge("RGB", [Image.blend(band, texture, 0.15) for band in img.split()])
    img = Image.merge("RGB", [Image.blend(band, grain, 0.12) for band in img.split()])
    img.save(path, "JPEG", quality=92, subsampling=0)
    return path


def ensure_sources(count: int, width: int, height: int, workers: int) -> list[str]:
    OUT.mkdir(parents=True, exist_ok=True)
    jobs = [(str(OUT / f"src-{width}x{height}-{i:03d}.jpg"), width, height, i)
            for i in range(count)]
    todo = [job for job in jobs if not os.path.exists(job[0])]
    if todo:
        print(f"generating {len(todo)} source photos of {width}x{height}...", flush=True)
        with mp.get_context("spawn").Pool(workers) as pool:
            pool.map(make_photo, todo)
    return [job[0] for job in jobs]


# --------------------------------------------------------------------------- pipelines
def _init_worker(pipeline: str) -> None:
    if pipeline == "libvips":
        os.environ["VIPS_CONCURRENCY"] = os.environ.get("BENCH_VIPS_CONCURRENCY", "1")
        import pyvips

        pyvips.cache_set_max(0)
    elif pipeline == "ours":
        from media.renditions import generate  # noqa: F401
    else:
        import PIL.Image  # noqa: F401
    global _BASELINE_KB
    _BASELINE_KB = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_ours(path: str) -> int:
    from media.renditions.generate import render

    with open(path, "rb") as fp:
        return sum(len(r.content) for r in render(fp, OUR_SPECS))


def run_libvips(path: str) -> int:
    import pyvips

    total = 0
    for kind, width, height in SIZES:
        thumb = pyvips.Image.thumbnail(path, width, height=height, size="down",
                                       crop="centre" if kind == "fill" else "none")
        thumb = thumb.copy_memory()  # render once, then encode twice
        total += len(thumb.jpegsave_buffer(Q=JPEG_QUALITY, optimize_coding=True))
        total += len(thumb.webpsave_buffer(Q=WEBP_QUALITY, effort=WEBP_EFFORT))
    return total


def run_plain(path: str) -> int:
    from PIL import Image, ImageOps

    with Image.open(path) as src:
        full = ImageOps.exif_transpose(src).convert("RGB")
    total = 0
    for kind, width, height in SIZES:
        if kind == "fill":
            out = ImageOps.fit(full, (width, height), Image.LANCZOS)
        else:
            out = full.copy()
            out.thumbnail((width, height), Image.LANCZOS, reducing_gap=None)
        for fmt, opts in (("JPEG", {"quality": JPEG_QUALITY, "optimize": True}),
                          ("WEBP", {"quality": WEBP_QUALITY, "method": WEBP_EFFORT})):
            buffer = io.BytesIO()
            out.save(buffer, fmt, **opts)
            total += len(buffer.getvalue())
    return total


PIPELINES = {"ours": run_ours, "libvips": run_libvips, "plain": run_plain}


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of the worker
    return usage.ru_utime + usage.ru_stime


def _task(args):
    pipeline, path = args
    cpu = _cpu_seconds()
    size = PIPELINES[pipeline](path)
    return (size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, _BASELINE_KB, os.getpid(),
            _cpu_seconds() - cpu)


def measure(pipeline: str, paths: list[str], workers: int) -> dict:
    ctx = mp.get_context("spawn")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(pipeline,)) as pool:
        pool.map(_task, [(pipeline, paths[0])] * workers)  # warm up: imports, first decode
        start = time.perf_counter()
        results = pool.map(_task, [(pipeline, p) for p in paths], chunksize=1)
        wall = time.perf_counter() - start
    peak = {}
    base = {}
    for _, maxrss, baseline, pid, _cpu in results:
        peak[pid] = max(peak.get(pid, 0), maxrss)
        base[pid] = baseline
    return {
        "wall": wall,
        "bytes": sum(r[0] for r in results),
        "peak_mb": max(peak.values()) / 1024,
        "baseline_mb": max(base.values()) / 1024,
        "workers_used": len(peak),
        # CPU time per photo, summed over threads: what the machine's other load cannot
        # inflate much, unlike wall time.
        "cpu_per_photo": sum(r[4] for r in results) / len(results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=50)
    parser.add_argument("--size", default="4000x6000")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--rounds", type=int, default=1, help="repeat and keep the best wall time")
    parser.add_argument("--pipelines", default="ours,libvips,plain")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    paths = ensure_sources(args.images, width, height, args.workers)

    pipelines = args.pipelines.split(",")
    best: dict[str, dict] = {}
    for round_ in range(args.rounds):
        # Interleave the pipelines so that machine noise hits them alike.
        for pipeline in pipelines:
            result = measure(pipeline, paths, args.workers)
            print(f"round {round_ + 1} {pipeline:8s} {result['wall']:7.2f} s "
                  f"cpu {result['cpu_per_photo']:.3f} s/photo "
                  f"peak {result['peak_mb']:6.1f} MB/worker", flush=True)
            if pipeline not in best or result["wall"] < best[pipeline]["wall"]:
                best[pipeline] = {**result, "cpu_per_photo": min(
                    result["cpu_per_photo"], best.get(pipeline, result)["cpu_per_photo"])}
            else:
                best[pipeline]["cpu_per_photo"] = min(best[pipeline]["cpu_per_photo"],
                                                      result["cpu_per_photo"])

    try:
        import pyvips

        vips_version = pyvips.version(0), pyvips.version(1), pyvips.version(2)
    except Exception:  # pragma: no cover - only for the report
        vips_version = None
    import PIL

    outputs = len(paths) * len(OUR_SPECS)
    print()
    print(f"{len(paths)} JPEGs of {width}x{height}, {len(OUR_SPECS)} renditions each "
          f"({outputs} files), {args.workers} worker processes, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, Pillow {PIL.__version__}, "
          f"libvips {'.'.join(map(str, vips_version)) if vips_version else 'n/a'}")
    print("| pipeline | wall time (s) | photos/s | CPU s per photo | peak RSS per worker (MB) "
          "| of which at start (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in pipelines:
        r = best[name]
        print(f"| {name} | {r['wall']:.2f} | {len(paths) / r['wall']:.2f} | "
              f"{r['cpu_per_photo']:.3f} | {r['peak_mb']:.0f} | {r['baseline_mb']:.0f} |")
    if "ours" in best:
        for other in ("libvips", "plain"):
            if other in best:
                print(f"ours/{other}: wall-time ratio "
                      f"{best['ours']['wall'] / best[other]['wall']:.2f}, CPU-time ratio "
                      f"{best['ours']['cpu_per_photo'] / best[other]['cpu_per_photo']:.2f}")


if __name__ == "__main__":
    main()
