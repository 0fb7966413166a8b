#!/usr/bin/env python3
"""Generates the gzip/deflate fixtures committed in Tests/OTAProbeCoreTests/ImageGzipTests.swift.

Run once: python3 Tests/ImageCrossCheck/make_gzip_fixtures.py
The plain data is re-created in Swift from the same formulas, so the tests check our inflater
against Python's zlib without any zlib binding in the package.
"""
import gzip, struct, zlib


def esp8266_image():
    # Same formulas as ImageFixtures.gzipFixtureImage() in the Swift tests.
    segs = [(0x40100000, bytes((i * 7) & 0xFF for i in range(64))),
            (0x3FFE8000, bytes((i * 13 + 5) & 0xFF for i in range(32)))]
    out = bytearray([0xE9, len(segs), 0x02, 0x40]) + struct.pack("<I", 0x40100004)
    checksum = 0xEF
    for addr, data in segs:
        out += struct.pack("<II", addr, len(data)) + data
        for b in data:
            checksum ^= b
    while len(out) % 16 != 15:
        out.append(0)
    out.append(checksum)
    return bytes(out)


def block_type(raw):
    return (raw[0] >> 1) & 3


def raw_deflate(data, level):
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


image = esp8266_image()
fixtures = {
    "gzipImage": gzip.compress(image, compresslevel=9, mtime=0),
    "storedBlock": raw_deflate(bytes(range(200)), 0),
    "fixedBlock": raw_deflate(b"hello hello hello hello", 9),
    "dynamicBlock": raw_deflate(bytes((i * i + i // 7) & 0xFF for i in range(3000)) + b"ESP8266" * 40, 9),
}
for name, data in fixtures.items():
    raw = data[10:] if name == "gzipImage" else data
    print(f"// {name}: {len(data)} bytes, first block type {block_type(raw)}")
    print(f'static let {name} = "{data.hex()}"')
