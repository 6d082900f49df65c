"""The redaction evaluation set: two-voice 8 kHz μ-law calls in which customers give personal data.

    .venv/bin/python benchmarks/privacy_corpus.py OUT_DIR    # needs espeak-ng (apt-get install espeak-ng)

Each line is synthesised on its own (espeak-ng, varied voices and speeds) and placed on its side's
channel (agent left, customer right) after the previous line, so the exact time span of every
personal-data phrase is known. `OUT_DIR/<call>.json` records the spans next to `OUT_DIR/<call>.wav`.
The phrasings deliberately include what Whisper mangles: digits in groups, number words, "double",
e-mail fragments, spelled names, postcodes, dates of birth, answers that only make sense after the
question; and distractors that are not personal data (points, money, counts, years).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from empathy_audit.audio.decode import decode_window
from empathy_audit.audio.ffmpeg import ffmpeg_exe

RATE = 8000
GAP_S = 0.7
PART_GAP_S = 0.15  # between the parts of one sentence
# (speaker, text, kind or "" for ordinary speech). A kind marks a personal-data phrase; a text given as
# [(part, kind), ...] is a sentence whose parts are timed separately.
CALLS: dict[str, dict] = {
    "account": {
        "voices": ("en-us", "en-gb"),
        "lines": [
            ("agent", "Thanks for calling Northwind Energy, this is Priya. How can I help today?", ""),
            ("customer", "Hi, I've been charged twice for my bill this month and I'm really fed up.", ""),
            ("agent", "I'm sorry to hear that. Can I take your account number please?", ""),
            ("customer", "It's four four one two, nine nine three.", "account"),
            ("agent", "Thank you. And can I take your full name please?", ""),
            ("customer", "Yes, it is Kalki Raman.", "name"),
            ("agent", "And for security, what is your date of birth?", ""),
            ("customer", "It is the fourth of July, nineteen eighty two.", "date of birth"),
            ("agent", "Thank you Kalki. I can see the two payments and I will refund one of them today.", ""),
            ("customer", "Great. I have twelve thousand points on the account too, will I keep those?", ""),
            ("agent", "Yes, your points stay exactly as they are. I will email you when the refund is done.", ""),
        ],
    },
    "card": {
        "voices": ("en-gb-x-rp", "en-us+f3"),
        "lines": [
            ("agent", "Good morning, you are through to payments. What seems to be the problem?", ""),
            ("customer", "My card was declined three times yesterday and I was so embarrassed at the till.", ""),
            ("agent", "That sounds really stressful, I'm sorry. Could you read me the long number on the card?", ""),
            ("customer", "Four five three nine, one four eight eight, zero three four three, six four six seven.", "card"),
            ("agent", "And the expiry date?", ""),
            ("customer", "Oh nine, twenty seven.", "card"),
            ("agent", "And the three digits on the back, please.", ""),
            ("customer", "Seven four one.", "card"),
            ("agent", "Thank you. I can see a fraud block, I have removed it now.", ""),
            ("customer", "Thank you, that is such a relief. I have paid forty five pounds in late fees.", ""),
        ],
    },
    "contact": {
        "voices": ("en-gb+m3", "en-gb-scotland"),
        "lines": [
            ("agent", "Hello, this is the returns team. How can I help?", ""),
            ("customer", "I sent a parcel back two weeks ago and I still have not had my money.", ""),
            ("agent", "I understand, two weeks is a long time to wait. What is the best number to reach you on?", ""),
            ("customer", "Oh seven seven double oh, nine hundred, one two three.", "phone"),
            ("agent", "And your email address?", ""),
            ("customer", "It's jamie dot fraser at gmail dot com.", "email"),
            ("agent", "Thank you. Let me look into the parcel for you.", ""),
            ("customer", [("The reference on the label was", ""), ("R T four five six nine.", "account")], ""),
            ("agent", "I found it. The refund was held up, I have released it and you will see it in three days.", ""),
            ("customer", "Brilliant, thanks so much.", ""),
        ],
    },
    "address": {
        "voices": ("en-us", "en-gb-x-gbclan"),
        "lines": [
            ("agent", "Thank you for calling, my name is Sam. Who am I speaking with?", ""),
            ("customer", "Hi Sam, it's Margaret Oduya.", "name"),
            ("agent", "Hi Margaret. What can I do for you today?", ""),
            ("customer", "I moved house and my new bank card went to the old address.", ""),
            ("agent", "Oh no, that is worrying. What is the first line of your new address and the postcode?", ""),
            ("customer", "Twenty two Acacia Avenue, Leeds, L S six, four A B.", "address"),
            ("agent", "Thanks. And the old address, so I can cancel that card?", ""),
            ("customer", "Fourteen Mill Lane, Bradford, B D one, three Q T.", "address"),
            ("agent", "Done. The old card is cancelled and a new one is on its way to Acacia Avenue.", ""),
            ("customer", "Thank you, you've been really kind. I've been a customer since twenty nineteen.", ""),
        ],
    },
    "security": {
        "voices": ("en-gb-x-rp+f4", "en-029"),
        "lines": [
            ("agent", "Welcome to online banking support. How can I help you today?", ""),
            ("customer", "I'm locked out of my account and I need to pay my rent tonight.", ""),
            ("agent", "I'm sorry, let's get you back in. What is your memorable word?", ""),
            ("customer", "Sunflower.", "password"),
            ("agent", "And what was your mother's maiden name?", ""),
            ("customer", "It's Castellano.", "password"),
            ("agent", "Can you confirm your sort code?", ""),
            ("customer", "Yes, twenty, forty four, sixty one.", "account"),
            ("agent", "Thank you. I have reset your access, you can log in now.", ""),
            ("customer", "Oh thank goodness. I tried five times this morning.", ""),
        ],
    },
    "identity": {
        "voices": ("en-us+m3", "en-gb-x-gbcwmd"),
        "lines": [
            ("agent", "Hi, you are through to the claims line. How can I help?", ""),
            ("customer", "I'm calling about my claim, it has been three months and nobody has called me back.", ""),
            ("agent", "I'm really sorry, that is far too long. Can I take your national insurance number?", ""),
            ("customer", "Q Q one two three four five six C.", "national ID"),
            ("agent", "And your policy number?", ""),
            ("customer", "It is P L, seven seven eight, two two nine, four.", "account"),
            ("agent", "Thank you. I have found the claim and escalated it, a manager will call you tomorrow.", ""),
            ("customer", [("Please do. You can reach me on", ""), ("oh one one three, four nine six, oh one two eight.", "phone")], ""),
            ("agent", "Of course. I will also send you an email with the reference.", ""),
            ("customer", [("My email is", ""), ("r dot okafor at outlook dot com.", "email")], ""),
            ("agent", "Got it. Thank you for your patience.", ""),
        ],
    },
    "volunteered": {
        "voices": ("en-gb", "en-us+f2"),
        "lines": [
            ("agent", "Hello, customer care, how can I help?", ""),
            ("customer", [("Hi, my name is", ""), ("Deborah Klein", "name"), ("and I've called four times about the same fault.", "")], ""),
            ("agent", "I'm so sorry you have had to call again. Let me see what went wrong.", ""),
            ("customer", [("My account number is", ""), ("nine eight seven six five four three.", "account")], ""),
            ("agent", "Thank you, I can see all four calls. That is not good enough.", ""),
            ("customer", [("You can text me on", ""), ("oh seven nine one one, two three four, five six seven.", "phone")], ""),
            ("agent", "I will. I am booking an engineer for Friday and I will call you myself afterwards.", ""),
            ("customer", [("I was born on", ""), ("the twelfth of March nineteen seventy five,", "date of birth"), ("if you need it for security.", "")], ""),
            ("agent", "That is fine, thank you. Anything else I can help with?", ""),
            ("customer", "No, that is everything. The bill was ninety nine pounds this month by the way.", ""),
        ],
    },
    "booking": {
        "voices": ("en-us+f3", "en-gb-scotland+f2"),
        "lines": [
            ("agent", "Good afternoon, travel desk, this is Omar.", ""),
            ("customer", "Hi Omar, my flight was cancelled and I need to get home for a funeral.", ""),
            ("agent", "I'm so sorry for your loss. Let me help. What is the booking reference?", ""),
            ("customer", "X Y Z seven four two.", "account"),
            ("agent", "And the surname on the booking?", ""),
            ("customer", "McAllister. M C A L L I S T E R.", "name"),
            ("agent", "And the passport number for the new ticket?", ""),
            ("customer", "Five three two, eight eight one, nine oh four.", "national ID"),
            ("agent", "I have rebooked you on the first flight tomorrow at no cost, and added a meal voucher.", ""),
            ("customer", "Thank you, that means a lot. It has been a terrible week.", ""),
        ],
    },
    "pharmacy": {
        "voices": ("en-gb-x-rp", "en-us+m3"),
        "lines": [
            ("agent", "Hello, pharmacy deliveries, how can I help?", ""),
            ("customer", "My mum's prescription did not arrive and she has run out of her tablets.", ""),
            ("agent", "I'm sorry, that must be worrying for you both. What's the patient's name?", ""),
            ("customer", "Eleanor Whitfield.", "name"),
            ("agent", "And her date of birth?", ""),
            ("customer", "Second of February, nineteen forty one.", "date of birth"),
            ("agent", "And the delivery postcode?", ""),
            ("customer", "S W one A, one A A.", "postcode"),
            ("agent", "I can see the driver missed it. I will send it by courier today, before six.", ""),
            ("customer", "Thank you. She takes two tablets a day so that is just in time.", ""),
        ],
    },
    "broadband": {
        "voices": ("en-gb-scotland", "en-gb"),
        "lines": [
            ("agent", "Hi, broadband support, you're speaking to Lewis.", ""),
            ("customer", "Hi Lewis. The internet has dropped every evening for a week and I work from home.", ""),
            ("agent", "That is really frustrating when you rely on it. Can I have the phone number on the account?", ""),
            ("customer", "Yeah, it's oh two oh, seven nine four six, oh double oh oh.", "phone"),
            ("agent", "And the PIN you set up with us?", ""),
            ("customer", "Eight three eight three.", "pin"),
            ("agent", "Thanks. What is your email so I can send the engineer's slot?", ""),
            ("customer", "Sure, it's priya underscore n at hotmail dot co dot uk.", "email"),
            ("agent", "I have booked an engineer for Tuesday morning and I will credit you for the week.", ""),
            ("customer", "That's great. The speed test said eight megabits last night, down from seventy.", ""),
        ],
    },
}  # fmt: skip

# Spanish calls (language "es"): the same kinds of personal data, asked and answered in Spanish, for the
# per-language rules (resources/privacy/es.toml). Built with --language es.
SPANISH_CALLS: dict[str, dict] = {
    "es_tarjeta": {
        "voices": ("es+f2", "es"),
        "lines": [
            ("agent", "Buenos días, le atiende Marta. ¿En qué puedo ayudarle?", ""),
            ("customer", "Hola, me han cobrado dos veces la factura de este mes y estoy harta.", ""),
            ("agent", "Lo siento mucho. ¿Me puede dar el número de su tarjeta, por favor?", ""),
            ("customer", "Sí, es cuatro cinco cinco seis, siete ocho nueve cero, uno dos tres cuatro.", "card"),
            ("agent", "Gracias. ¿Y la fecha de caducidad?", ""),
            ("customer", "Doce, veintiocho.", "card"),
            ("agent", "Perfecto. Ya veo el cargo duplicado de cuarenta y cinco euros.", ""),
            ("agent", "Le devuelvo el dinero hoy mismo y le llamo el viernes para confirmarlo.", ""),
        ],
    },
    "es_datos": {
        "voices": ("es", "es+m3"),
        "lines": [
            ("agent", "Gracias por llamar, soy Carlos. ¿Cómo le ha ido con el nuevo contrato?", ""),
            ("customer", "Fatal, es la tercera vez que llamo por el mismo problema.", ""),
            ("agent", "Entiendo su frustración. Para revisar su cuenta, ¿me dice su nombre completo?", ""),
            ("customer", "Ana García López.", "name"),
            ("agent", "Gracias, Ana. ¿Cuál es su número de DNI?", ""),
            ("customer", "Treinta y cuatro, cincuenta y seis, setenta y ocho, noventa.", "national ID"),
            ("agent", "¿Y un teléfono de contacto?", ""),
            ("customer", "Seis uno dos, tres cuatro cinco, seis siete ocho.", "phone"),
            ("agent", "Muy bien. He abierto una reclamación y le escribiré mañana con la solución.", ""),
        ],
    },
}  # fmt: skip


def speak(text: str, voice: str, speed: int, path: Path) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)


def _voiced(samples: np.ndarray) -> tuple[float, float]:
    """First and last voiced moment (20 ms frames within 35 dB of the loudest) in seconds."""
    n = int(0.02 * RATE)
    frames = samples[: len(samples) // n * n].reshape(-1, n).astype(np.float64)
    rms = np.sqrt((frames**2).mean(axis=1)) + 1e-12
    loud = np.flatnonzero(20 * np.log10(rms / rms.max()) > -35)
    return loud[0] * 0.02, (loud[-1] + 1) * 0.02


def _parts(text: str | list[tuple[str, str]], kind: str) -> list[tuple[str, str]]:
    return [(text, kind)] if isinstance(text, str) else text


def build_call(name: str, out_dir: Path) -> Path:
    """Synthesise one call to OUT_DIR/<name>.wav with OUT_DIR/<name>.json describing its phrases.

    A line given as parts is synthesised part by part (with a short pause between), so a personal-data
    phrase said inside a longer sentence still has its own exact span.
    """
    spec = CALLS.get(name) or SPANISH_CALLS[name]
    agent_voice, customer_voice = spec["voices"]
    lines_out, channels = [], {"agent": [], "customer": []}
    t = 0.5
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for i, (speaker, text, kind) in enumerate(spec["lines"]):
            speed = 150 + (i * 7) % 30
            for part, part_kind in _parts(text, kind):
                raw, wav = Path(tmp) / f"{n}.wav", Path(tmp) / f"{n}-8k.wav"
                n += 1
                speak(part, agent_voice if speaker == "agent" else customer_voice, speed, raw)
                subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(raw), "-ar", str(RATE), "-ac", "1",
                                str(wav)], check=True)  # fmt: skip
                samples = decode_window(wav, channel=0, rate=RATE)
                on, off = _voiced(samples)
                channels[speaker].append((t - on, samples))
                lines_out.append({"speaker": speaker, "text": part, "kind": part_kind,
                                  "start": round(t, 3), "end": round(t + off - on, 3)})  # fmt: skip
                t += off - on + PART_GAP_S
            t += GAP_S - PART_GAP_S
    total = int((t + 1.0) * RATE)
    stereo = np.zeros((total, 2), dtype=np.float32)
    for col, speaker in enumerate(("agent", "customer")):
        for start, samples in channels[speaker]:
            a = max(0, int(start * RATE))
            stereo[a : a + len(samples), col] += samples[: total - a]
    pcm = (np.clip(stereo, -1, 1) * 32767).astype("<i2").tobytes()
    wav_path = out_dir / f"{name}.wav"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", str(RATE), "-ac", "2", "-i", "pipe:0",
         "-c:a", "pcm_mulaw", str(wav_path)],
        input=pcm, check=True,
    )  # fmt: skip
    language = "es" if name in SPANISH_CALLS else "en"
    (out_dir / f"{name}.json").write_text(json.dumps({"call": name, "language": language, "duration_s": total / RATE,
                                                      "lines": lines_out}, indent=1))  # fmt: skip
    return wav_path


def build_all(out_dir: Path, language: str = "en") -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_call(name, out_dir) for name in (SPANISH_CALLS if language == "es" else CALLS)]


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for path in build_all(Path(sys.argv[1])):
        print(path)
