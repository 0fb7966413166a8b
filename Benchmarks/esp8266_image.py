"""A valid ESP8266 application image of an exact size, for the benchmarks.

One segment of pseudo-random bytes (fixed seed: the same image every run) with a correct
esptool checksum, so the probe's image check finds nothing wrong and the run's outcome is
`updated`: the benchmark then measures a download the device accepts, not a refusal.

Layout (esptool's ESP8266 v1 image): 8-byte header (E9, 1 segment, flash mode DIO, 4 MB /
40 MHz, entry point), 8-byte segment header (load address, length), the data, zero padding to
one byte before a 16-byte boundary, then the checksum byte (0xEF XOR every data byte).
"""
import random
import struct


def esp8266_image(size, seed=8266):
    assert size % 16 == 0 and size >= 64
    length = size - 32  # header 8 + segment header 8 + padding 15 + checksum 1
    data = random.Random(seed).randbytes(length)
    checksum = 0xEF
    for byte in data:
        checksum ^= byte
    header = bytes([0xE9, 0x01, 0x02, 0x40]) + struct.pack("<I", 0x40100000)
    segment = struct.pack("<II", 0x40100000, length)
    return header + segment + data + bytes(15) + bytes([checksum])
