"""Regenerate benchmarks/fixtures/long_call.opus.ogg (needs espeak-ng; uses the bundled ffmpeg).

A varied two-and-a-half-minute support call, agent left and customer right. Repeating a
short fixture instead would make Whisper see repeated text and fall back to sampling,
which no real call does, so the benchmark would measure the wrong thing.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from empathy_audit.audio.ffmpeg import ffmpeg_exe

OUT = Path(__file__).resolve().parent / "fixtures" / "long_call.opus.ogg"
LINES = [
    ("agent", "Good morning, you are through to the broadband help desk, my name is Priya."),
    ("customer", "Hi Priya. My connection has been dropping out every evening for about two weeks now."),
    ("agent", "I am sorry to hear that, two weeks is a long time to put up with it. Can I take your account number?"),
    ("customer", "Yes, it is on the letter somewhere. Here it is. It starts with the letters K and M."),
    ("agent", "Thank you. I can see your account. What has your experience been so far when it drops?"),
    ("customer", "The lights on the router go orange, and then after ten minutes everything comes back."),
    ("agent", "That helps a lot. Does it happen at the same time each evening, or does it vary?"),
    ("customer", "Mostly around eight o'clock, when my kids are doing their homework online."),
    ("agent", "That must be really frustrating for the whole family, especially with homework deadlines."),
    ("customer", "It is. I have already called twice and both times I was told to restart the router."),
    ("agent", "I can see those notes. Restarting clearly has not fixed it, so let me look further."),
    ("agent", "I am running a line test now. It will take about a minute, please stay on the line."),
    ("customer", "Okay, no problem. I am just glad someone is actually checking something this time."),
    ("agent", "The test shows noise on the line in the evenings, which points to a fault outside your home."),
    ("customer", "So it is not my router after all? I nearly went out and bought a new one."),
    ("agent", "Please do not buy anything. I am booking an engineer to check the street cabinet on Thursday."),
    ("customer", "Thursday works. Will I need to be at home for that visit?"),
    ("agent", "No, the work is outside. I will also add a credit to your bill for the days you lost."),
    ("customer", "That is kind of you, thank you. I did not expect that."),
    ("agent", "I will call you on Friday afternoon to make sure the evenings are stable again."),
    ("customer", "Great. Thank you Priya, you have been really helpful today."),
    ("agent", "You are welcome. Is there anything else I can help you with before you go?"),
    ("customer", "No, that is everything. Have a good day."),
]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        inputs: list[str] = []
        filters: list[str] = []
        cursor = 0.5
        for i, (speaker, text) in enumerate(LINES):
            wav = Path(tmp, f"{i}.wav")
            voice = "en-us" if speaker == "agent" else "en-gb+m3"
            subprocess.run(["espeak-ng", "-v", voice, "-s", "160", "-w", str(wav), text], check=True)
            length = int(wav.stat().st_size - 44) / 2 / 22050
            inputs += ["-i", str(wav)]
            filters.append(f"[{i}:a]aresample=8000,adelay={int(cursor * 1000)}[d{i}]")
            cursor += length + 0.8
        total = cursor + 1.0
        for side in ("agent", "customer"):
            tags = "".join(f"[d{i}]" for i, (s, _t) in enumerate(LINES) if s == side)
            count = sum(s == side for s, _t in LINES)
            filters.append(f"{tags}amix=inputs={count}:normalize=0,apad=whole_dur={total:.2f}[{side}]")
        filters.append("[agent][customer]join=inputs=2:channel_layout=stereo[out]")
        subprocess.run(
            [
                ffmpeg_exe(),
                "-v",
                "error",
                "-y",
                *inputs,
                "-filter_complex",
                ";".join(filters),
                "-map",
                "[out]",
                "-ar",
                "16000",
                "-c:a",
                "libopus",
                "-b:a",
                "24k",
                str(OUT),
            ],
            check=True,
        )
    print(f"wrote {OUT} ({total:.0f} s)")


if __name__ == "__main__":
    main()
