# Reference outputs for the generator and stream derivation, computed independently of the Swift code
# from the published algorithms (xoshiro256** and SplitMix64 reference C, SHA-256 via hashlib).
# Made with:  python3 make_stream_reference.py > stream_reference.txt
import hashlib, struct
M = (1 << 64) - 1
def rotl(x, k): return ((x << k) | (x >> (64 - k))) & M
def xoshiro(s):
    s = list(s)
    while True:
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        yield result
def splitmix(seed):
    while True:
        seed = (seed + 0x9E3779B97F4A7C15) & M
        z = seed
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        yield z ^ (z >> 31)
def stream(label, seed, numbers, name):
    data = label.encode() + b"\0" + b"".join(struct.pack(">Q", v) for v in [seed] + numbers) + name.encode()
    return xoshiro(struct.unpack("<4Q", hashlib.sha256(data).digest()))
def take(g, n): return [next(g) for _ in range(n)]
print("splitmix64 1234567", *take(splitmix(1234567), 3))
print("xoshiro256** 1,2,3,4", *take(xoshiro([1, 2, 3, 4]), 5))
print("posting 20161104 1 adult 0", *take(stream("decoy/v1/posting", 20161104, [1, 0], "adult"), 3))
print("posting 7 3 control 12", *take(stream("decoy/v1/posting", 7, [3, 12], "control"), 3))
print("population 7 2 paris", *take(stream("decoy/v1/population", 7, [2], "paris"), 3))
