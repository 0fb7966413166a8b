#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/Corpus/<target>/ (see Fuzz/README.md for each input format).

Hand-made, small, and meant to be read: real-looking responses (chunked, redirects, odd line
ends), tiny valid ESP8266/ESP32 images laid out as Tests/OTAProbeCoreTests/ImageFixtures.swift
lays them out, gzip and raw DEFLATE streams, the shipped profiles, the test PKI of
Tests/Fixtures/tls/make-certs.sh and TLS transport logs built from it.

Run from anywhere: python3 Fuzz/make-corpus.py (needs openssl for the certificates). Files the
fuzzers found and that are worth keeping (crash reproducers) live beside the generated ones
under names starting with `repro-`; this script never deletes those.
"""
import gzip
import hashlib
import os
import struct
import subprocess
import sys
import tempfile
import zlib

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CORPUS = os.path.join(FUZZ, "Corpus")

# Catalog.all is sorted by name: these indices pick a profile in the `model` and `image` targets.
PROFILES = sorted(f[:-5] for f in os.listdir(os.path.join(ROOT, "profiles")) if f.endswith(".json"))
P = {name: index for index, name in enumerate(PROFILES)}
ARDUINO = [n for n in PROFILES if not n.startswith("esp-idf")]  # arduinoRules order
A = {name: index for index, name in enumerate(ARDUINO)}


def write(target, name, data):
    folder = os.path.join(CORPUS, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("latin-1")
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


# ---- images (ImageFixtures.swift, same layouts) ----------------------------------------------

def pattern(count, seed):
    return bytes(((i * 31 + seed * 17 + (i >> 3)) & 0xFF) for i in range(count))


def le32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def le16(v):
    return struct.pack("<H", v & 0xFFFF)


def append_segments(segments, out):
    checksum = 0xEF
    for address, data in segments:
        out += le32(address) + le32(len(data)) + data
        for b in data:
            checksum ^= b
    while len(out) % 16 != 15:
        out += b"\0"
    out += bytes([checksum])
    return out


def esp8266_image(segments, mode=2, size_freq=0x40, entry=0x40100004):
    out = bytearray([0xE9, len(segments), mode, size_freq]) + le32(entry)
    return bytes(append_segments(segments, out))


def crc8266(data):
    crc = 0xFFFFFFFF
    for byte in data:
        mask = 0x80
        while mask:
            bit = bool(crc & 0x80000000) ^ bool(byte & mask)
            crc = (crc << 1) & 0xFFFFFFFF
            if bit:
                crc ^= 0x04C11DB7
            mask >>= 1
    return crc


def arduino_bin(size_freq=0x40, app_size=600):
    out = bytearray(esp8266_image([(0x4010F000, pattern(96, 1)), (0x3FFFA000, pattern(16, 2))], 3, size_freq, 0x4010F000))
    out += b"\xAA" * (0x1000 - len(out))
    irom = b"\0" * 8 + pattern(app_size, 3)
    out += esp8266_image([(0x40201010, irom), (0x40100000, pattern(200, 4)), (0x3FFE8000, pattern(40, 5))], 3, size_freq)
    zeroed = bytearray(out)
    zeroed[0x1010:0x1018] = b"\0" * 8
    out[0x1010:0x1018] = le32(len(out)) + le32(crc8266(zeroed))
    return bytes(out)


def app_descriptor(version="1.4.2", project="otaprobe-fuzz"):
    def field(text, length):
        raw = text.encode()[:length]
        return raw + b"\0" * (length - len(raw))
    out = le32(0xABCD5432) + le32(3) + b"\0" * 8
    out += field(version, 32) + field(project, 32) + field("12:34:56", 16) + field("Mar  4 2025", 16) + field("v5.4.1", 32)
    out += bytes(range(32)) + le16(0) + le16(99) + bytes([16, 2, 0, 0])
    return out + b"\0" * (256 - len(out))


def esp32_image(chip, segments, hashed=True, entry=0x40080400):
    out = bytearray([0xE9, len(segments), 2, 0x2F]) + le32(entry)
    out += bytes([0xEE, 0, 0, 0]) + le16(chip) + b"\0" + le16(0) + le16(399) + bytes([0, 0, 0, 0, 1 if hashed else 0])
    append_segments(segments, out)
    if hashed:
        out += hashlib.sha256(out).digest()
    return bytes(out)


def esp32_app(chip=0):
    return esp32_image(chip, [(0x3F400020, app_descriptor() + pattern(92, 6)), (0x3FFB0000, pattern(48, 7)),
                              (0x400D0020, pattern(300, 8)), (0x40080000, pattern(124, 9))])


def esp32_bootloader(chip=0):
    def field(text, length):
        return text.encode() + b"\0" * (length - len(text))
    desc = bytes([0x50, 0, 0, 0]) + le32(1) + field("v5.4.1", 32) + field("Mar  4 2025 12:34:56", 24) + b"\0" * 16
    return esp32_image(chip, [(0x3FFB0000, desc + pattern(16, 10)), (0x40080000, pattern(160, 11))], entry=0x40080000)


def partition_table(entries):
    out = b""
    for type_, subtype, offset, size, label in entries:
        out += bytes([0xAA, 0x50, type_, subtype]) + le32(offset) + le32(size)
        out += label.encode() + b"\0" * (16 - len(label)) + le32(0)
    out += b"\xEB\xEB" + b"\xFF" * 14 + hashlib.md5(out).digest()
    return out + b"\xFF" * (0xC00 - len(out))


def merged_esp32():
    table = partition_table([(1, 2, 0x9000, 0x5000, "nvs"), (1, 0, 0xE000, 0x2000, "otadata"),
                             (0, 0, 0x10000, 0x100000, "factory"), (0, 0x10, 0x110000, 0x100000, "ota_0")])
    out = bytearray()
    for offset, data in [(0x1000, esp32_bootloader()), (0x8000, table), (0x10000, esp32_app())]:
        out += b"\xFF" * (offset - len(out))
        out += data
    return bytes(out)


def littlefs():
    block = le32(1) + bytes([0x0F, 0xF0, 0x00, 0x10]) + b"littlefs" + bytes([0x20, 0x10, 0x00, 0x20])
    block += b"\xFF" * (4096 - len(block))
    return block + block


def elf():
    return bytes([0x7F, 0x45, 0x4C, 0x46, 1, 1, 1, 0]) + b"\0" * 8 + le16(2) + le16(94) + le32(1) + pattern(200, 12)


def gz(data, name=None):
    # Python's gzip module stores FNAME when given a file name, as elf2bin's output does.
    if name:
        import io
        buffer = io.BytesIO()
        with gzip.GzipFile(filename=name, mode="wb", fileobj=buffer, mtime=0) as f:
            f.write(data)
        return buffer.getvalue()
    return gzip.compress(data, mtime=0)


def raw_deflate(data, level=9, strategy=zlib.Z_DEFAULT_STRATEGY):
    c = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
    return c.compress(data) + c.flush()


SMALL_8266 = esp8266_image([(0x40100000, pattern(64, 1)), (0x3FFE8000, pattern(32, 2))])
ARDUINO_BIN = arduino_bin(app_size=200)
ESP32_APP = esp32_app()

# ---- HTTP responses --------------------------------------------------------------------------


def ok(body, extra=""):
    return ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: %d\r\n%sConnection: close\r\n\r\n"
            % (len(body), extra)).encode() + body


def chunked(body, sizes=(100, 37)):
    out = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    position = 0
    index = 0
    while position < len(body):
        size = sizes[index % len(sizes)]
        piece = body[position:position + size]
        out += b"%x\r\n" % len(piece) + piece + b"\r\n"
        position += size
        index += 1
    return out + b"0\r\n\r\n"


HEADS = {
    "ok-crlf": "HTTP/1.1 200 OK\r\nContent-Length: 1024\r\nContent-Type: application/octet-stream\r\n\r\n",
    "ok-lf": "HTTP/1.1 200 OK\nContent-Length: 1024\nx-MD5: 0123456789abcdef0123456789abcdef\n\n",
    "ok-cr-only": "HTTP/1.1 200 OK\rContent-Length: 10\r\r",
    "chunked": "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n",
    "identity": "HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello",
    "redirect": "HTTP/1.1 302 Found\r\nLocation: http://192.168.1.11:8080/new/fw.bin\r\nContent-Length: 0\r\n\r\n",
    "redirect-path": "HTTP/1.1 301 Moved\r\nLocation: /other.bin\r\n\r\n",
    "not-modified": "HTTP/1.0 304 Not Modified\r\n\r\n",
    "icy": "ICY 200 OK\r\nicy-name: radio\r\n\r\n",
    "no-colon": "HTTP/1.1 200 OK\r\nthis line has no colon\r\n: empty name\r\n\r\n",
    "md5-twice": "HTTP/1.1 200 OK\r\nx-MD5: aaaa\r\nX-md5: bbbb\r\nContent-Length: 4\r\n\r\nabcd",
    "folded": "HTTP/1.1 200 OK\r\nX-Long: first\r\n  continued\r\n\tagain\r\nContent-Length: 2\r\n\r\nok",
    "cl-odd": "HTTP/1.1 200 OK\r\nContent-Length:  +12abc \r\nContent-Length: 99999999999999999999\r\n\r\n",
    "cl-negative": "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
    "status-short": "HTTP/1.1 20\r\n\r\n",
    "status-junk": "HTTP/1.1 abc def\r\nServer: x\r\n\r\n",
    "nul-bytes": "HTTP/1.1 200 OK\r\nX-Nul: a\x00b\r\nContent-Length: 1\r\n\r\nZ",
    "high-bytes": "HTTP/1.1 200 \xff\xfe OK\r\nX-\xe9: \xc3\xa9t\xe9\r\n\r\n",
    "leading-blank": "\r\nHTTP/1.1 200 OK\r\n\r\n",
    "truncated": "HTTP/1.1 200 OK\r\nContent-Len",
    "100-continue": "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc",
    "http09": "<html><body>hello</body></html>",
}


def main():
    if os.path.isdir(CORPUS):
        for target in os.listdir(CORPUS):
            for name in os.listdir(os.path.join(CORPUS, target)):
                if not name.startswith("repro-"):
                    os.remove(os.path.join(CORPUS, target, name))

    # arduino-head: [profile][chunk size][timing][line wait] + head
    settings = [(A["esp8266-arduino-3.1.2"], 0, 0, 0), (A["esp8266-arduino-2.5.2"], 7, 0, 0), (A["esp8266-arduino-2.4.2"], 1, 0x83, 2),
                (A["esp32-arduino-3.2"], 0, 0, 1), (A["esp32-arduino-1.0.6"], 13, 0x10, 3), (A["esp32-arduino-2.0.17"], 3, 0x80, 0)]
    for index, (name, head) in enumerate(sorted(HEADS.items())):
        profile, chunk, timing, wait = settings[index % len(settings)]
        write("arduino-head", name, bytes([profile, chunk, timing, wait]) + head.encode("latin-1"))
    # idf-head: [selector (profile, bit 6 = 256-byte head limit)][chunk size][timing] + head
    for index, (name, head) in enumerate(sorted(HEADS.items())):
        selector = (index % 4) | (0x40 if index % 5 == 0 else 0)
        write("idf-head", name, bytes([selector, [0, 1, 5, 64][index % 4], [0, 0x80, 0x7F, 0][index % 4]]) + head.encode("latin-1"))

    # idf-body: [framing][length hi][length lo][chunk size] + body
    bodies = {
        "chunked": (1, 0, b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
        "chunked-ext-trailer": (1, 0, b"5;name=value\r\nhello\r\nA \r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"),
        "chunked-lf": (1, 0, b"3\nabc\n0\n\n"),
        "chunked-upper": (1, 0, b"00000A\r\n0123456789\r\n0\r\n\r\n"),
        "chunked-bad": (1, 0, b"5\r\nhelloXX\r\nzz\r\n"),
        "chunked-huge-size": (1, 0, b"fffffffffffffff\r\nabc"),
        "length": (0, 12, b"hello, world and more"),
        "length-short": (0, 300, b"not enough"),
        "until-close": (2, 0, b"everything until FIN"),
        "none": (3, 0, b"ignored"),
    }
    for index, (name, (framing, length, body)) in enumerate(sorted(bodies.items())):
        write("idf-body", name, bytes([framing, length >> 8, length & 0xFF, [0, 1, 3, 7][index % 4]]) + body)

    # model: [profile][flags][chunk size][timing] + replies separated by \0NEXT\0
    marker = b"\0NEXT\0"
    big8266 = ARDUINO_BIN
    models = {
        "8266-ok": (P["esp8266-arduino-3.1.2"], 0, 0, 0, ok(big8266)),
        "8266-ok-md5": (P["esp8266-arduino-3.1.2"], 0x04, 200, 0, ok(big8266, "x-MD5: %s\r\n" % hashlib.md5(big8266).hexdigest())),
        "8266-chunked": (P["esp8266-arduino-2.7.4"], 0, 0, 0, chunked(big8266)),
        "8266-redirect": (P["esp8266-arduino-3.0.2"], 0x02, 0, 0,
                          b"HTTP/1.1 302 Found\r\nLocation: http://192.168.1.10/b.bin\r\nContent-Length: 0\r\n\r\n" + marker + ok(big8266)),
        "8266-redirect-path-252": (P["esp8266-arduino-2.5.2"], 0x01, 0, 0,
                                   b"HTTP/1.1 301 Moved\r\nLocation: /b.bin\r\nContent-Length: 5\r\n\r\nmoved" + marker + ok(big8266)),
        "8266-304": (P["esp8266-arduino-2.4.2"], 0, 0, 0, b"HTTP/1.1 304 Not Modified\r\n\r\n"),
        "8266-404-html": (P["esp8266-arduino-3.1.2"], 0, 0, 0, b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 48\r\n\r\n<html><body><h1>404 Not Found</h1></body></html>"),
        "8266-gzip": (P["esp8266-arduino-3.1.2"], 0, 64, 0, ok(gz(big8266, "firmware.bin"))),
        "8266-truncated-slow": (P["esp8266-arduino-3.1.2"], 0, 100, 0x90, ok(big8266)[:900]),
        "8266-fs": (P["esp8266-arduino-3.1.2"], 0x20, 0, 0, ok(littlefs()[:4200])),
        "8266-silent": (P["esp8266-arduino-3.1.2"], 0, 0, 0x80, b"HTTP/1.1 200 OK\r\nContent-Le"),
        "esp32-ok": (P["esp32-arduino-3.2"], 0, 0, 0, ok(ESP32_APP)),
        "esp32-chunked": (P["esp32-arduino-2.0.17"], 0, 33, 0, chunked(ESP32_APP)),
        "esp32-redirect-https": (P["esp32-arduino-1.0.6"], 0x42, 0, 0,
                                 b"HTTP/1.1 307 Temporary\r\nLocation: https://ota.example/fw.bin\r\n\r\n" + marker + ok(ESP32_APP)),
        "esp32-wrong-image": (P["esp32-arduino-3.2"], 0, 0, 0, ok(SMALL_8266)),
        "idf-ok": (P["esp-idf-5.4"], 0, 0, 0, ok(ESP32_APP)),
        "idf-chunked": (P["esp-idf-5.5"], 0, 17, 0, chunked(ESP32_APP)),
        "idf-close-delimited": (P["esp-idf-4.4"], 0, 0, 0, b"HTTP/1.1 200 OK\r\n\r\n" + ESP32_APP),
        "idf-redirect": (P["esp-idf-5.1"], 0, 0, 0,
                         b"HTTP/1.1 302 Found\r\nLocation: http://192.168.1.12/fw.bin\r\n\r\n" + marker + ok(ESP32_APP)),
        "idf-partial": (P["esp-idf-5.4"], 0x08, 0, 0,
                        ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nAccept-Ranges: bytes\r\n\r\n" % len(ESP32_APP)).encode() + marker
                        + ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-%d/%d\r\nContent-Length: %d\r\n\r\n"
                           % (len(ESP32_APP) - 1, len(ESP32_APP), len(ESP32_APP))).encode() + ESP32_APP),
        "idf-merged-head": (P["esp-idf-5.5"], 0x10, 0, 0, ok(merged_esp32()[:0x1200])),
        "idf-401": (P["esp-idf-5.4"], 0x40, 0, 0, b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n"),
    }
    for name, (profile, flags, chunk, timing, data) in sorted(models.items()):
        write("model", name, bytes([profile, flags, chunk, timing]) + data)

    # url: URL [\n Location]
    urls = {
        "plain": "http://192.168.1.10/fw.bin",
        "full": "https://user:pa:ss@ota.example.com:8443/path/fw.bin?x=1&token=secret#frag",
        "upper-scheme": "HTTP://HOST/FW.BIN",
        "no-path-query": "http://host?x=1",
        "port-wrap": "http://host:99999/fw.bin",
        "port-junk": "http://host:abc/",
        "short": "http:/",
        "ipv6": "http://[::1]:8080/fw.bin",
        "redirect-path": "http://a/x\n/other/fw.bin",
        "redirect-host": "http://a/x\nhttp://b:81/y",
        "redirect-scheme": "http://a/x\nhttps://b/y",
        "redirect-relative": "https://a/x\nfw2.bin",
        "redirect-netpath": "http://a/x\n//evil/x",
        "redirect-upper": "http://a/x\nHTTP://b/y",
        "tls-option": "fingerprint=AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD",
        "tls-buffers": "512,512",
        "tls-versions": "1.0-1.2",
        "tls-ciphers": "C02F,009C",
        "ftp": "ftp://host/fw.bin",
    }
    for name, text in sorted(urls.items()):
        write("url", name, text)

    # image: [chunk size][profile] + body
    images = {
        "esp8266-small": (0, P["esp8266-arduino-3.1.2"], SMALL_8266),
        "arduino-bin": (7, P["esp8266-arduino-3.1.2"], ARDUINO_BIN),
        "arduino-bin-gzip": (0, P["esp8266-arduino-2.7.4"], gz(ARDUINO_BIN, "sketch.bin")),
        "esp32-app": (0, P["esp32-arduino-3.2"], ESP32_APP),
        "esp32-app-chunked": (5, P["esp-idf-5.4"], ESP32_APP),
        "esp32-bootloader": (0, P["esp-idf-5.5"], esp32_bootloader()),
        "esp32c3-app": (0, P["esp32-arduino-3.2"], esp32_app(chip=5)),
        "merged": (200, P["esp-idf-5.4"], merged_esp32()),
        "littlefs": (0, P["esp8266-arduino-3.1.2"], littlefs()),
        "elf": (0, P["esp32-arduino-2.0.17"], elf()),
        "partition-table": (0, P["esp-idf-5.1"], partition_table([(0, 0, 0x10000, 0x100000, "factory")])),
        "html": (0, P["esp8266-arduino-3.1.2"], b"<!DOCTYPE html><html><head><title>Login</title></head><body>x</body></html>"),
        "json": (0, P["esp8266-arduino-3.1.2"], b'{"error":"not found","code":404}'),
    }
    for name, (chunk, profile, data) in sorted(images.items()):
        write("image", name, bytes([chunk, profile]) + data)

    # inflate: [limit selector][bit 0 = gzip] + data
    text = b"".join(b"line %d of a compressible text, with some repetition\n" % i for i in range(60))
    inflates = {
        "gzip-image": (15, 1, gz(SMALL_8266 + pattern(2000, 3))),
        "gzip-fname": (3, 1, gz(text, "firmware.bin")),
        "gzip-extra": (4, 1, b"\x1f\x8b\x08\x04\0\0\0\0\0\x03\x04\0abcd" + raw_deflate(b"hello hello hello")),
        "raw-fixed": (1, 0, raw_deflate(b"abcabcabcabcabc", strategy=zlib.Z_FIXED)),
        "raw-dynamic": (20, 0, raw_deflate(text)),
        "raw-stored": (2, 0, raw_deflate(pattern(300, 7), level=0)),
        "raw-huffman-only": (5, 0, raw_deflate(text, strategy=zlib.Z_HUFFMAN_ONLY)),
        "raw-rle": (5, 0, raw_deflate(b"\0" * 3000 + b"\xff" * 200, strategy=zlib.Z_RLE)),
    }
    for name, (limit, mode, data) in sorted(inflates.items()):
        write("inflate", name, bytes([limit, mode]) + data)

    # profile: the shipped profiles
    for name in PROFILES:
        with open(os.path.join(ROOT, "profiles", name + ".json"), "rb") as f:
            write("profile", name + ".json", f.read())

    # x509 and tls: the test PKI
    with tempfile.TemporaryDirectory() as certs:
        subprocess.run(["bash", os.path.join(ROOT, "Tests/Fixtures/tls/make-certs.sh"), certs], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def der(name):
            return subprocess.run(["openssl", "x509", "-in", os.path.join(certs, name), "-outform", "DER"],
                                  check=True, capture_output=True).stdout

        def read(name):
            with open(os.path.join(certs, name), "rb") as f:
                return f.read()

        for name in ["rsa2048-chain.pem", "ecdsa-p256-chain.pem", "ecdsa-p384.pem", "ed25519.pem", "rsapss.pem", "selfsigned.pem",
                     "expired-chain.pem", "iponly.pem", "cnonly.pem", "wrongname.pem", "rsa2048.pub.pem", "ecdsa-p521.pub.pem"]:
            write("x509", name, read(name))
        for name in ["rsa2048.pem", "ecdsa-p256.pem", "iponly.pem", "root.pem", "intermediate.pem", "notyet.pem"]:
            write("x509", name[:-4] + ".der", der(name))

        # tls: [capabilities][selector] + transport log: (kind, direction, u32 LE length, bytes)...
        def entry(kind, outgoing, data):
            return bytes([kind, 1 if outgoing else 0]) + le32(len(data)) + data

        def handshake(type_, body):
            return bytes([type_]) + struct.pack(">I", len(body))[1:] + body

        def record(type_, length, version=0x0303):
            return entry(0x80, False, bytes([type_]) + struct.pack(">HH", version, length))

        def server_hello(suite=0xC02F, version=0x0303, extensions=b""):
            body = struct.pack(">H", version) + bytes(range(32)) + b"\0" + struct.pack(">H", suite) + b"\0"
            if extensions:
                body += struct.pack(">H", len(extensions)) + extensions
            return body

        def certificate(ders):
            items = b"".join(struct.pack(">I", len(d))[1:] + d for d in ders)
            return struct.pack(">I", len(items))[1:] + items

        def transcript(ders, suite=0xC02F, extensions=b"\xff\x01\x00\x01\x00", tail=b""):
            hello = server_hello(suite, extensions=extensions)
            cert = certificate(ders)
            return (entry(22, True, handshake(1, b"\x03\x03" + bytes(32) + b"\0\0\x02\xc0\x2f\x01\0"))
                    + record(22, len(hello) + 4) + entry(22, False, handshake(2, hello))
                    + record(22, len(cert) + 4) + entry(22, False, handshake(11, cert))
                    + entry(22, False, handshake(14, b"")) + tail)

        chain = [der("rsa2048.pem"), der("intermediate.pem")]
        tls = {
            "bearssl-rsa-chain": (P["esp8266-arduino-3.1.2"], 2, transcript(chain)),
            "bearssl-fingerprint": (P["esp8266-arduino-3.1.2"], 1, transcript(chain)),
            "bearssl-knownkey-ec": (P["esp8266-arduino-2.7.4"], 3, transcript([der("ecdsa-p256.pem")], suite=0xC02B)),
            "bearssl-selfsigned": (P["esp8266-arduino-3.0.2"], 4, transcript([der("selfsigned.pem")])),
            "bearssl-alert": (P["esp8266-arduino-3.1.2"], 0, record(21, 2) + entry(21, False, b"\x02\x28")),
            "bearssl-ccs-big-record": (P["esp8266-arduino-3.1.2"], 0x18, transcript(chain, tail=entry(20, False, b"\x01") + record(23, 16400))),
            "mbedtls-ca": (P["esp32-arduino-3.2"], 2, transcript(chain)),
            "mbedtls-bundle": (P["esp-idf-5.4"], 6, transcript([der("iponly.pem"), der("intermediate.pem")])),
            "mbedtls-none": (P["esp32-arduino-2.0.17"], 5, transcript(chain)),
            "mbedtls-ed25519": (P["esp-idf-5.5"], 0x0A, transcript([der("ed25519.pem")])),
        }
        for name, (profile, selector, log) in sorted(tls.items()):
            write("tls", name, bytes([profile, selector]) + log)

    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(CORPUS) for f in fs)
    print("corpus: %d bytes in %s" % (total, CORPUS))


if __name__ == "__main__":
    sys.exit(main())
