"""Captions timed from the steps as they happen, written as WebVTT in each language.

Each step opens a cue when it starts; the cue lasts until the next step starts, so a caption
is on screen exactly while its step plays, however fast or slow the machine is that day.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("en", "es")


@dataclass
class Cue:
    key: str
    start: float
    text: dict[str, str]
    end: float | None = None


@dataclass
class Timeline:
    """Seconds since the video started, and the cue of every step so far."""

    started: float = field(default_factory=time.monotonic)
    cues: list[Cue] = field(default_factory=list)

    def now(self) -> float:
        return time.monotonic() - self.started

    def begin(self, key: str, text: dict[str, str]) -> None:
        """A step starts: close the running cue here and open this step's cue."""
        at = self.now()
        if self.cues and self.cues[-1].end is None:
            self.cues[-1].end = at
        self.cues.append(Cue(key, at, text))

    def finish(self) -> None:
        """The recording stops: the last cue ends now."""
        if self.cues and self.cues[-1].end is None:
            self.cues[-1].end = self.now()


def timestamp(seconds: float) -> str:
    """WebVTT's ``HH:MM:SS.mmm``."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def vtt(cues: list[Cue], language: str) -> str:
    """The WebVTT file for ``language`` (cue ids are the steps' keys)."""
    lines = ["WEBVTT", ""]
    for cue in cues:
        end = cue.end if cue.end is not None else cue.start + 3
        lines += [cue.key, f"{timestamp(cue.start)} --> {timestamp(end)}", cue.text[language], ""]
    return "\n".join(lines)


def write_captions(cues: list[Cue], folder: Path, stem: str = "walkthrough") -> list[Path]:
    """Write ``<stem>.<lang>.vtt`` for every language; returns the paths written."""
    paths = []
    for language in LANGUAGES:
        path = folder / f"{stem}.{language}.vtt"
        path.write_text(vtt(cues, language), encoding="utf-8")
        paths.append(path)
    return paths
