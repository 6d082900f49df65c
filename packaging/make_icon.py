"""Draw the app icon (a speech bubble holding a heart) into resources/icons/ as PNG, ICO and ICNS.

    python packaging/make_icon.py

The files are committed; this is only needed to change the design.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "resources" / "icons"
BLUE, ORANGE, WHITE = (0, 114, 178, 255), (230, 159, 0, 255), (255, 255, 255, 255)


def draw(size: int = 1024) -> Image.Image:
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / 1024
    d.rounded_rectangle((90 * s, 120 * s, 934 * s, 760 * s), radius=170 * s, fill=BLUE)
    d.polygon([(250 * s, 700 * s), (220 * s, 930 * s), (460 * s, 740 * s)], fill=BLUE)  # the bubble's tail
    # A heart: two circles and a triangle.
    r = 120 * s
    cx, cy = 512 * s, 400 * s
    d.ellipse((cx - 2 * r + 20 * s, cy - r, cx + 20 * s, cy + r), fill=ORANGE)
    d.ellipse((cx - 20 * s, cy - r, cx + 2 * r - 20 * s, cy + r), fill=ORANGE)
    d.polygon([(cx - 2 * r + 28 * s, cy + 40 * s), (cx + 2 * r - 28 * s, cy + 40 * s), (cx, cy + 2.3 * r)], fill=ORANGE)
    d.rounded_rectangle((300 * s, 650 * s, 724 * s, 690 * s), radius=20 * s, fill=WHITE)  # a line of text
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    big.resize((256, 256), Image.LANCZOS).save(OUT / "empathy-audit.png")
    big.save(OUT / "empathy-audit.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.resize((512, 512), Image.LANCZOS).save(OUT / "empathy-audit.icns")


if __name__ == "__main__":
    main()
