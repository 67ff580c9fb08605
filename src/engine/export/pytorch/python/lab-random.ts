/** The lab's random generator in Python (lab_random.py of an exported project). Python source, kept verbatim. */
export const LAB_RANDOM_PY = String.raw`"""
The lab's random generator, ported bit for bit from Gradient Lab's src/engine/core/random.ts:
xoshiro128** seeded through splitmix32, uniforms with 53 random bits, integers without modulo bias,
normals by Marsaglia's polar method. A seed (or a checkpoint's saved state) gives the lab's own stream,
so the mini-batches and dropout masks drawn here are the ones the lab draws.

Plain Python integers masked to 32 bits; the lab's JavaScript holds the same bits as signed or unsigned
32-bit numbers, which save_state() writes back in the lab's form.
"""
import math

MASK = 0xFFFFFFFF
TWO_TO_53 = 9007199254740992.0


def _rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


def _signed(x):
    return x - 0x100000000 if x >= 0x80000000 else x


class LabRandom:
    def __init__(self, seed=0):
        state = seed & MASK
        words = []
        for _ in range(4):
            state = (state + 0x9E3779B9) & MASK
            z = state
            z = ((z ^ (z >> 16)) * 0x85EBCA6B) & MASK
            z = ((z ^ (z >> 13)) * 0xC2B2AE35) & MASK
            words.append(z ^ (z >> 16))
        self._s = words
        self._spare = None
        # The state as a checkpoint wrote it, returned unchanged while nothing has been drawn since.
        self._saved = None

    # ---- state, as a Gradient Lab checkpoint stores it: [s0, s1, s2, s3, spare normal or None] ----
    def save_state(self):
        if self._saved is not None:
            return list(self._saved)
        return [_signed(w) for w in self._s] + [self._spare]

    def restore_state(self, state):
        self._s = [int(w) & MASK for w in state[:4]]
        self._spare = None if state[4] is None else float(state[4])
        self._saved = list(state)

    # ---- draws ----
    def next_uint32(self):
        self._saved = None
        s0, s1, s2, s3 = self._s
        result = (_rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = _rotl(s3, 11)
        self._s = [s0, s1, s2, s3]
        return result

    def uniform(self):
        """Uniform in [0, 1) with 53 random bits: 27 from one draw, 26 from the next."""
        high = self.next_uint32() >> 5
        low = self.next_uint32() >> 6
        return (high * 67108864 + low) / TWO_TO_53

    def uniforms(self, count):
        """'count' uniform() draws in order, as a list (the same loop, inlined: dropout draws many)."""
        self._saved = None
        s0, s1, s2, s3 = self._s
        out = [0.0] * count
        for i in range(count):
            words = [0, 0]
            for j in (0, 1):
                x = (s1 * 5) & MASK
                words[j] = ((((x << 7) | (x >> 25)) & MASK) * 9) & MASK
                t = (s1 << 9) & MASK
                s2 ^= s0
                s3 ^= s1
                s1 ^= s2
                s0 ^= s3
                s2 ^= t
                s3 = ((s3 << 11) | (s3 >> 21)) & MASK
            out[i] = ((words[0] >> 5) * 67108864 + (words[1] >> 6)) / TWO_TO_53
        self._s = [s0, s1, s2, s3]
        return out

    def int(self, n):
        """Uniform integer in [0, n), by rejection (no modulo bias), as the lab draws batch indices."""
        if not 1 <= n <= 0x100000000:
            raise ValueError("LabRandom.int: n must be in [1, 2^32], got %r" % n)
        limit = 0x100000000 - (0x100000000 % n)
        while True:
            x = self.next_uint32()
            if x < limit:
                return x % n

    def normal(self):
        """Standard normal N(0, 1), Marsaglia's polar method, keeping the second value for the next call."""
        if self._spare is not None:
            spare = self._spare
            self._spare = None
            self._saved = None
            return spare
        while True:
            u = 2 * self.uniform() - 1
            v = 2 * self.uniform() - 1
            s = u * u + v * v
            if 0 < s < 1:
                factor = math.sqrt((-2 * math.log(s)) / s)
                self._spare = v * factor
                return u * factor
`
