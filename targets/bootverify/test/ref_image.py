#!/usr/bin/env python3
"""Reference image for test_bootv_build, written from docs/image-format.md
with Python's hashlib and the `cryptography` package (independent of the C
code). Prints the values pasted into test_bootv_build.c."""
import hashlib
import struct

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def test_key(n):
    seed = hashlib.sha256(b"fwfuzz bootverify TEST KEY ONLY #%d" % n).digest()
    key = Ed25519PrivateKey.from_private_bytes(seed)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw,
                                        serialization.PublicFormat.Raw)
    return seed, key, pub


def tlv(t, v):
    return struct.pack("<HH", t, len(v)) + v


def area(magic, entries):
    body = b"".join(entries)
    return struct.pack("<HH", magic, 4 + len(body)) + body


def image(signer, body, header_size, load, ver, counter, flags, hw_id,
          next_keys):
    hdr = struct.pack("<IHHIIBBHIII", 0x56425746, header_size, 0, len(body),
                      load, ver[0], ver[1], ver[2], ver[3], counter, flags)
    hdr += bytes(header_size - len(hdr))
    prot = [tlv(0x8001, hw_id)]
    if next_keys:
        prot.append(tlv(0x8002, b"".join(next_keys)))
    signed = hdr + body + area(0x7B50, prot)
    digest = hashlib.sha256(signed).digest()
    _, key, pub = signer
    sig = key.sign(digest)
    unprot = area(0x7B55, [tlv(0x0010, digest),
                           tlv(0x0011, hashlib.sha256(pub).digest()),
                           tlv(0x0012, sig)])
    return signed + unprot


def main():
    k0, k1, k2 = test_key(0), test_key(1), test_key(2)
    print("seed0", k0[0].hex())
    print("pub0 ", k0[2].hex())
    print("pub1 ", k1[2].hex())
    body = bytes((i * 7 + 1) & 0xFF for i in range(256))
    img = image(k1, body, 64, 0x08004000, (1, 2, 3, 4), 7,
                0x00000001, b"fwfuzz-test-hwid",
                [hashlib.sha256(k2[2]).digest()])
    print("len  ", len(img))
    print("sha  ", hashlib.sha256(img).hexdigest())


if __name__ == "__main__":
    main()
