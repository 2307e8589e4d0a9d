#!/usr/bin/env python3
"""Recompute every golden vector's CID from its SCALE bytes with the standard library only.

CIDv1 = 0x01 (version) 0x55 (raw codec) 0x12 (sha2-256) 0x20 (32 bytes) + sha256(bytes),
printed as multibase base32 lower-case without padding, prefix 'b'.
"""
import base64
import hashlib
import json
import pathlib
import sys


def cid_of(manifest_bytes: bytes) -> str:
    binary = bytes([0x01, 0x55, 0x12, 0x20]) + hashlib.sha256(manifest_bytes).digest()
    return "b" + base64.b32encode(binary).decode().lower().rstrip("=")


def main() -> int:
    vectors = json.loads((pathlib.Path(__file__).parent / "manifests.json").read_text())["vectors"]
    failed = 0
    for vector in vectors:
        got = cid_of(bytes.fromhex(vector["scale_hex"]))
        ok = got == vector["cid"]
        failed += not ok
        print(f"{'ok' if ok else 'MISMATCH'} {vector['name']}: {got}")
    print(f"{len(vectors) - failed} passed, {failed} failed")
    return 1 if failed or not vectors else 0


if __name__ == "__main__":
    sys.exit(main())
