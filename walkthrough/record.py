"""``make walkthrough``: record the demo in Chromium as a video with captions in two languages.

Starts its own Accord (``runserver`` on a free port, a fresh SQLite database, migrate,
ensure_seal_certificate, seed_demo; e-mail written to var/walkthrough/mail), drives Debian's
Chromium through the story in ``walkthrough/scenes.py`` with Playwright recording the page, and
writes into var/walkthrough/ (built, never committed):

- ``walkthrough.webm``, the video, and ``walkthrough.en.vtt`` / ``walkthrough.es.vtt``, its
  captions, timed from the steps as they happened; the guide's index embeds them;
- ``executed-charter.pdf``, the sealed charter the story produced, and ``server.log``.

Playwright encodes the video with ffmpeg. Its own build is a download we cannot rely on, so
when it is missing the system's ffmpeg (``apt-get install ffmpeg``) is put where Playwright
looks, in a private folder under var/walkthrough.

    .venv/bin/python walkthrough/record.py [--pause SECONDS] [--slow-mo MS]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

import django  # noqa: E402
import playwright  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from walkthrough import server  # noqa: E402
from walkthrough.captions import Timeline, write_captions  # noqa: E402
from walkthrough.scenes import play  # noqa: E402
from walkthrough.walk import StepFailed, Walk  # noqa: E402

OUT = BASE_DIR / "var" / "walkthrough"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SIZE = {"width": 1280, "height": 720}


def _ffmpeg_for_playwright(out: Path) -> None:
    """Make sure Playwright finds an ffmpeg to encode the video with (see the docstring)."""
    browsers = Path(playwright.__file__).parent / "driver" / "package" / "browsers.json"
    revision = next(
        b["revision"] for b in json.loads(browsers.read_text())["browsers"] if b["name"] == "ffmpeg"
    )
    own = Path(os.environ.get("PLAYWRIGHT_BROWSERS_PATH", Path.home() / ".cache" / "ms-playwright"))
    if (own / f"ffmpeg-{revision}" / "ffmpeg-linux").exists():
        return
    system = shutil.which("ffmpeg")
    if not system:
        sys.exit(
            "ERROR: recording the video needs ffmpeg. Install Debian's (apt-get install ffmpeg) "
            "and run make walkthrough again."
        )
    private = out / "playwright"
    link = private / f"ffmpeg-{revision}" / "ffmpeg-linux"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        link.symlink_to(system)
    os.environ["PLAYWRIGHT_BROWSERS_PATH"] = str(private)


def _record(base_url: str, out: Path, *, pause: float, slow_mo: int) -> Path:
    """Play the story in a recorded browser; returns the finished video and writes captions."""
    video_tmp = out / "video-tmp"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, slow_mo=slow_mo
        )
        context = browser.new_context(
            viewport=SIZE,
            record_video_dir=str(video_tmp),
            record_video_size=SIZE,
            accept_downloads=True,
            locale="en-GB",
        )
        context.set_default_timeout(30_000)
        page = context.new_page()
        timeline = Timeline()  # the video starts with the page
        try:
            play(Walk(page, base_url, timeline, out, pause))
            page.wait_for_timeout(pause * 1000)
        finally:
            timeline.finish()
            context.close()  # finishes writing the video
        recorded = page.video.path()
        browser.close()
        finished = out / "walkthrough.webm.part"
        shutil.move(recorded, finished)
    shutil.rmtree(video_tmp, ignore_errors=True)
    write_captions(timeline.cues, out, stem="walkthrough.part")
    return finished


def _publish(out: Path) -> list[Path]:
    """Replace the previous video and captions only now that the new ones are complete."""
    done = []
    for part, final in (
        ("walkthrough.webm.part", "walkthrough.webm"),
        ("walkthrough.part.en.vtt", "walkthrough.en.vtt"),
        ("walkthrough.part.es.vtt", "walkthrough.es.vtt"),
    ):
        (out / part).replace(out / final)
        done.append(out / final)
    return done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pause", type=float, default=1.6, help="seconds to read each caption")
    parser.add_argument("--slow-mo", type=int, default=120, help="ms between browser actions")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        sys.exit(f"ERROR: Chromium not found at {CHROMIUM} (apt-get install chromium).")

    started = time.monotonic()
    server.clean(OUT)
    _ffmpeg_for_playwright(OUT)
    port = server.free_port()
    env = server.environment(OUT, port)
    os.environ.update(env)
    with (OUT / "server.log").open("w") as log:
        for command in (("migrate", "--noinput"), ("ensure_seal_certificate",), ("seed_demo",)):
            print(f"manage.py {' '.join(command)}", flush=True)
            server.manage(env, *command, log=log)
        django.setup()  # for reverse() and resolve() in the scenes
        print(
            f"Recording against {env['SITE_URL']} ({time.monotonic() - started:.0f} s in) …",
            flush=True,
        )
        try:
            with server.Server(env, port, log) as live:
                _record(live.url, OUT, pause=args.pause, slow_mo=args.slow_mo)
        except StepFailed as exc:
            print(f"ERROR: the walkthrough stopped.\n{exc}", file=sys.stderr)
            return 1
    for path in _publish(OUT):
        print(f"wrote {path.relative_to(BASE_DIR)}")
    print(f"Walkthrough recorded in {time.monotonic() - started:.0f} s; see /guide/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
