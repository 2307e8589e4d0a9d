#!/usr/bin/env python3
"""A CI agent for a Zoo model: evaluate every version that lands on `main`, attest the score on
chain, and try to promote it to `production`.

It runs `zoo watch` (finalized events only, as JSON lines) filtered to one model and, for every
move of ref `main` (a Lineage RefCreated or RefMoved event naming `main`):

1. checks the new target out with `zoo checkout` into a temporary directory (every byte is
   verified against the chain before anything is placed);
2. loads `weights.json` from it, a logistic-regression model
   `{"bias": b, "weights": [w1, w2, ...]}`, and scores it on the test set this example ships
   (`testset.csv`: feature columns, then a 0/1 `label`); the prediction is 1 when
   b + w.x >= 0 (sigmoid >= 0.5); accuracy is printed as an exact decimal (at most 9 places,
   rounded down);
3. writes an evaluation log and attests the score with the evaluator key:
   `zoo attest <cid> --dataset <sha2-256 of testset.csv> --metric accuracy=<acc>
   --evidence file://<log> --evidence-file <log>`;
4. runs `zoo promote <cid> production --model <model>`: the chain's promotion policy decides.
   A promotion prints the attestations it rested on; a refusal (exit code 1) its reasons, one
   per unmet condition (for a weaker model, DoesNotBeatCurrent or BelowThreshold).

A version whose checkout fails or whose weights file is bad is logged and skipped; the loop
goes on. With --json-log, one JSON line per handled version: cid, accuracy, promoted, reasons
(plus block, evidence, log and error). Python 3 standard library only.

Example against a dev chain (`make dev`), with //Eve trusted as an evaluator of acme/clf and
allowed to move its refs (role releaser):

    python3 examples/ci/evaluate_and_promote.py --url ws://127.0.0.1:9944 --key //Eve \\
        --model acme/clf --from-block 0 --json-log ci.jsonl
"""

import argparse
import csv
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction

HERE = os.path.dirname(os.path.abspath(__file__))
MAIN_REF = "main"


def log(message):
    print(f"[ci] {time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


class EvaluationError(Exception):
    """A version that cannot be evaluated: logged and skipped."""


def sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_testset(path):
    """Rows of (features, label) from a CSV whose last column is a 0/1 label."""
    rows = []
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        if len(header) < 2 or header[-1] != "label":
            raise SystemExit(f"{path}: the last column must be 'label', not {header[-1:]}")
        for line, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise SystemExit(f"{path}:{line}: {len(row)} columns, expected {len(header)}")
            label = int(row[-1])
            if label not in (0, 1):
                raise SystemExit(f"{path}:{line}: label {label} is not 0 or 1")
            rows.append(([float(v) for v in row[:-1]], label))
    if not rows:
        raise SystemExit(f"{path}: no rows")
    return rows


def load_weights(path, n_features):
    """The model in weights.json, checked: a number bias and n_features number weights."""
    try:
        with open(path) as f:
            model = json.load(f)
    except FileNotFoundError:
        raise EvaluationError("the version has no weights.json")
    except (OSError, ValueError) as e:
        raise EvaluationError(f"weights.json is not JSON: {e}")

    def number(value):
        return isinstance(value, (int, float)) and not isinstance(value, bool) and value == value

    if not isinstance(model, dict) or not number(model.get("bias")) or not isinstance(model.get("weights"), list):
        raise EvaluationError('weights.json must be {"bias": number, "weights": [numbers]}')
    weights = model["weights"]
    if len(weights) != n_features or not all(number(w) for w in weights):
        raise EvaluationError(f"weights.json must have {n_features} number weights, has {weights!r}")
    return float(model["bias"]), [float(w) for w in weights]


def exact_decimal(fraction, places=9):
    """A fraction in [0, 1] as decimal text, at most `places` places, rounded down."""
    scaled = fraction.numerator * 10**places // fraction.denominator
    whole, rest = divmod(scaled, 10**places)
    text = f"{whole}.{rest:0{places}d}".rstrip("0")
    return text[:-1] if text.endswith(".") else text


def score(bias, weights, rows):
    """(correct, total): predict 1 when bias + w.x >= 0, i.e. sigmoid(bias + w.x) >= 0.5."""
    correct = 0
    for features, label in rows:
        z = bias + sum(w * x for w, x in zip(weights, features))
        correct += int((1 if z >= 0 else 0) == label)
    return correct, len(rows)


class Agent:
    def __init__(self, args):
        self.args = args
        self.testset = os.path.abspath(args.testset)
        self.rows = load_testset(self.testset)
        self.dataset = sha256_file(self.testset)
        self.log_dir = os.path.abspath(args.log_dir)
        os.makedirs(self.log_dir, exist_ok=True)
        self.json_log = open(args.json_log, "a") if args.json_log else None

    def zoo(self, *args, key=None):
        command = [self.args.zoo, "--url", self.args.url]
        if key:
            command += ["--key", key]
        return subprocess.run(command + list(args), capture_output=True, text=True, stdin=subprocess.DEVNULL)

    def record(self, entry):
        if self.json_log:
            self.json_log.write(json.dumps(entry, sort_keys=True) + "\n")
            self.json_log.flush()

    def handle(self, cid, event):
        """Evaluate, attest and try to promote one version; never raises for a bad version."""
        entry = {"cid": cid, "block_number": event.get("block_number"), "accuracy": None, "promoted": False,
                 "reasons": [], "evidence": None, "attestation": None, "log": None, "error": None}
        try:
            self.evaluate_attest_promote(cid, entry)
        except EvaluationError as e:
            entry["error"] = str(e)
            log(f"{cid}: skipped: {e}")
        except Exception as e:  # anything else about this version: log it, keep the loop
            entry["error"] = f"{type(e).__name__}: {e}"
            log(f"{cid}: skipped after an unexpected error: {entry['error']}")
        self.record(entry)

    def evaluate_attest_promote(self, cid, entry):
        workdir = tempfile.mkdtemp(prefix="zoo-ci-")
        try:
            tree = os.path.join(workdir, "tree")
            out = self.zoo("checkout", cid, tree)
            if out.returncode != 0:
                raise EvaluationError(f"zoo checkout failed (exit {out.returncode}): {out.stderr.strip()}")
            bias, weights = load_weights(os.path.join(tree, "weights.json"), len(self.rows[0][0]))
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

        correct, total = score(bias, weights, self.rows)
        accuracy = exact_decimal(Fraction(correct, total))
        entry["accuracy"] = accuracy
        log(f"{cid}: accuracy {accuracy} ({correct}/{total}) on {os.path.basename(self.testset)}")

        log_path = os.path.join(self.log_dir, f"{cid}.log")
        with open(log_path, "w") as f:
            f.write(
                f"version: {cid}\nmodel: {self.args.model}\n"
                f"testset: {self.testset}\ndataset (sha2-256): {self.dataset}\n"
                f"weights: bias {bias!r}, weights {weights!r}\n"
                f"correct: {correct} of {total}\naccuracy: {accuracy}\n"
                f"evaluated at: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n"
            )
        entry["log"] = log_path

        out = self.zoo("--json", "attest", cid, "--dataset", self.dataset, "--metric", f"accuracy={accuracy}",
                       "--evidence", f"file://{log_path}", "--evidence-file", log_path, key=self.args.key)
        if out.returncode != 0:
            raise EvaluationError(f"zoo attest failed (exit {out.returncode}): {out.stderr.strip()}")
        attested = json.loads(out.stdout)
        entry["attestation"] = attested.get("index")
        log(f"{cid}: attested as #{attested.get('index')} in block {attested.get('block', {}).get('block_number')}")

        out = self.zoo("--json", "promote", cid, self.args.ref, "--model", self.args.model,
                       key=self.args.promote_key or self.args.key)
        if out.returncode == 0:
            promoted = json.loads(out.stdout)
            entry["promoted"] = True
            entry["evidence"] = promoted.get("evidence")
            log(f"{cid}: promoted to {self.args.ref} in block {promoted.get('block', {}).get('block_number')}, "
                f"resting on attestations {promoted.get('evidence')} of {cid}")
        elif out.returncode == 1:
            refused = json.loads(out.stdout)
            entry["reasons"] = [f"{u.get('condition')}: {u.get('explanation')}" for u in refused.get("unmet", [])]
            log(f"{cid}: not promoted to {self.args.ref}:")
            for reason in entry["reasons"]:
                log(f"    {reason}")
        else:
            raise EvaluationError(f"zoo promote failed (exit {out.returncode}): {out.stderr.strip()}")

    def run(self):
        command = [self.args.zoo, "--url", self.args.url, "watch", "--model", self.args.model,
                   "--event", "Lineage.RefCreated", "--event", "Lineage.RefMoved"]
        if self.args.from_block is not None:
            command += ["--from-block", str(self.args.from_block)]
        log(f"watching {self.args.model} on {self.args.url} for moves of {MAIN_REF}; test set {self.testset} "
            f"(dataset {self.dataset}, {len(self.rows)} rows)")
        watch = subprocess.Popen(command, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        handled = 0
        try:
            for line in watch.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    log(f"zoo watch printed a line that is not JSON, ignored: {line.strip()!r}")
                    continue
                fields = event.get("fields", {})
                if event.get("pallet") != "Lineage" or fields.get("name") != MAIN_REF:
                    continue
                if fields.get("model") != self.args.model:
                    continue
                cid = fields.get("to") if event.get("event") == "RefMoved" else fields.get("target")
                if not cid:
                    continue
                log(f"{MAIN_REF} of {self.args.model} -> {cid} (block {event.get('block_number')})")
                self.handle(cid, event)
                handled += 1
                if self.args.stop_after is not None and handled >= self.args.stop_after:
                    log(f"handled {handled} moves of {MAIN_REF}; stopping")
                    return 0
            code = watch.wait()
            log(f"zoo watch ended (exit {code}) after {handled} moves of {MAIN_REF}")
            return 1 if code != 0 else 0
        finally:
            if watch.poll() is None:
                watch.terminate()
                try:
                    watch.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    watch.kill()
                    watch.wait()
            if self.json_log:
                self.json_log.close()


def main():
    parser = argparse.ArgumentParser(
        description="CI agent: for every move of ref main of a Zoo model (followed with `zoo watch`), check the "
        "new version out (verified), score its weights.json (logistic regression) on the shipped test set, attest "
        "the accuracy with the evaluator key, and `zoo promote` it to production; the chain's promotion policy "
        "decides. Bad versions are logged and skipped.",
        epilog="Each handled version is logged on stderr and, with --json-log, as one JSON line "
        '{"cid", "accuracy", "promoted", "reasons", "evidence", "attestation", "block_number", "log", "error"}. '
        "Exit code 0 after --stop-after moves (or when zoo watch ends cleanly), 1 if zoo watch fails.",
    )
    parser.add_argument("--url", default=os.environ.get("ZOO_URL", "ws://127.0.0.1:9944"),
                        help="node RPC endpoint (default: $ZOO_URL or ws://127.0.0.1:9944)")
    parser.add_argument("--key", required=True, help="the evaluator's signing key (stored key name or //Eve-style URI)")
    parser.add_argument("--promote-key", help="key that moves the ref (default: --key; needs a role that moves refs)")
    parser.add_argument("--model", required=True, help="the model to follow, org/name")
    parser.add_argument("--ref", default="production", help="the ref to promote to (default: production)")
    parser.add_argument("--from-block", type=int,
                        help="replay finalized history from this block, then follow (default: from the next block)")
    parser.add_argument("--stop-after", type=int, metavar="N",
                        help="exit after handling N moves of main (default: run until zoo watch ends)")
    parser.add_argument("--json-log", metavar="FILE", help="append one JSON line per handled version to FILE")
    parser.add_argument("--log-dir", default="ci-logs",
                        help="directory for the evaluation logs, the attestations' evidence (default: ./ci-logs)")
    parser.add_argument("--testset", default=os.path.join(HERE, "testset.csv"),
                        help="CSV test set, last column 'label' (default: testset.csv beside this script)")
    parser.add_argument("--zoo", default=os.environ.get("ZOO_BIN", "zoo"),
                        help="the zoo binary (default: $ZOO_BIN or zoo on PATH)")
    args = parser.parse_args()
    if args.stop_after is not None and args.stop_after < 1:
        parser.error("--stop-after must be at least 1")
    if shutil.which(args.zoo) is None:
        parser.error(f"no zoo binary at {args.zoo!r} (set --zoo or $ZOO_BIN)")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(Agent(args).run())


if __name__ == "__main__":
    main()
