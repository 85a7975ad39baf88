"""Spoken call-outs for the board, made offline and kept as audio files.

Debian's ``espeak-ng`` speaks the number and the room in the visitor's language, then in
German; a short chime made here comes first. Each announcement is one WAV file in
``instance/speech/``, named by a hash of what it says, so a board replays a call without
new work and needs no internet. Without ``espeak-ng`` there is no speech (the board
still chimes by itself and shows the call).
"""

from __future__ import annotations

import functools
import hashlib
import io
import math
import os
import shutil
import struct
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# espeak-ng's voice for each interface language; a language without a voice (Pashto) is
# announced in German only.
VOICES = {"de": "de", "en": "en-gb", "tr": "tr", "ru": "ru", "ar": "ar", "fa": "fa",
          "fa_AF": "fa", "uk": "uk", "ku": "ku", "sq": "sq", "bs": "bs"}
SAMPLE_RATE = 22050  # what espeak-ng writes; the chime is made at the same rate
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Phrase:
    """One sentence and the language it is spoken in."""

    language: str
    text: str


def voice_for(language: str) -> str | None:
    return VOICES.get(language) or VOICES.get(language.split("_")[0])


@functools.cache
def available() -> bool:
    """espeak-ng is installed (looked up once per process: the board asks every second)."""
    return shutil.which("espeak-ng") is not None


def speech_folder() -> Path:
    folder = Path(current_app.instance_path) / "speech"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cache_name(phrases: list[Phrase]) -> str:
    digest = hashlib.sha256()
    for phrase in phrases:
        digest.update(f"{voice_for(phrase.language)}\0{phrase.text}\0".encode())
    return digest.hexdigest()[:32] + ".wav"


def announcement(phrases: list[Phrase]) -> Path | None:
    """The WAV file saying ``phrases`` after a chime, made once; ``None`` without a voice."""
    spoken = [p for p in phrases if voice_for(p.language)]
    if not spoken or not available():
        return None
    path = speech_folder() / cache_name(spoken)
    if path.exists():
        return path
    frames = [chime()]
    for phrase in spoken:
        speech = speak(phrase)
        if speech is None:
            return None
        frames += [silence(0.3), speech]
    write_atomically(path, b"".join(frames))
    return path


def speak(phrase: Phrase) -> bytes | None:
    """Mono 16-bit frames of ``phrase`` in its voice (``None`` when espeak-ng fails)."""
    voice = voice_for(phrase.language)
    try:
        result = subprocess.run(
            ["espeak-ng", "-v", str(voice), "-s", "140", "--stdout", phrase.text],
            capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
    except (OSError, subprocess.SubprocessError):
        current_app.logger.warning("espeak-ng could not speak in %s", voice)
        return None
    with wave.open(io.BytesIO(result.stdout)) as audio:
        if audio.getframerate() != SAMPLE_RATE or audio.getsampwidth() != 2 \
                or audio.getnchannels() != 1:
            current_app.logger.warning("espeak-ng wrote an unexpected audio format")
            return None
        return audio.readframes(audio.getnframes())


def chime() -> bytes:
    """Two soft tones, a rising "ding-dong" that makes people look up."""
    return tone(660, 0.35) + tone(880, 0.55)


def tone(frequency: float, seconds: float, volume: float = 0.3) -> bytes:
    count = int(SAMPLE_RATE * seconds)
    samples = []
    for i in range(count):
        fade = min(1.0, i / (0.02 * SAMPLE_RATE)) * (1 - i / count)  # no clicks
        value = volume * fade * math.sin(2 * math.pi * frequency * i / SAMPLE_RATE)
        samples.append(int(value * 32767))
    return struct.pack(f"<{count}h", *samples)


def silence(seconds: float) -> bytes:
    return b"\0\0" * int(SAMPLE_RATE * seconds)


def write_atomically(path: Path, frames: bytes) -> None:
    """Two boards asking at once never read half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw, wave.open(raw, "wb") as audio:
            audio.setnchannels(1)
            audio.setsampwidth(2)
            audio.setframerate(SAMPLE_RATE)
            audio.writeframes(frames)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise
