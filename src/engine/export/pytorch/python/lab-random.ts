/** The lab's random generator in Python (lab_random.py of an exported project). Python source, kept verbatim. */
export const LAB_RANDOM_PY = String.raw`"""
The lab's random generator, ported bit for bit from Gradient Lab's src/engine/core/random.ts:
xoshiro128** seeded through splitmix32, uniforms with 53 random bits, integers without modulo bias,
normals by Marsaglia's polar method (with fdlibm's logarithm, the lab's portable one, ported below). A seed (or a checkpoint's saved state) gives the lab's own stream,
so the mini-batches and dropout masks drawn here are the ones the lab draws.

Plain Python integers masked to 32 bits; the lab's JavaScript holds the same bits as signed or unsigned
32-bit numbers, which save_state() writes back in the lab's form.
"""
import math
import struct

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

    def normals(self, count):
        """'count' normal() draws in order, as a list (inlined: augmentation's noise draws one per pixel)."""
        out = []
        if count > 0 and self._spare is not None:
            out.append(self._spare)
            self._spare = None
        self._saved = None
        s0, s1, s2, s3 = self._s
        log, sqrt = fdlibm_log, math.sqrt
        while len(out) < count:
            pair = [0.0, 0.0]
            for k in (0, 1):
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
                pair[k] = 2 * (((words[0] >> 5) * 67108864 + (words[1] >> 6)) / TWO_TO_53) - 1
            u, v = pair
            s = u * u + v * v
            if 0 < s < 1:
                factor = sqrt((-2 * log(s)) / s)
                out.append(u * factor)
                if len(out) < count:
                    out.append(v * factor)
                else:
                    self._spare = v * factor
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
                factor = math.sqrt((-2 * fdlibm_log(s)) / s)
                self._spare = v * factor
                return u * factor


_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_TWO54 = 1.80143985094819840000e+16
_LG1 = 6.666666666666735130e-01
_LG2 = 3.999999999940941908e-01
_LG3 = 2.857142874366239149e-01
_LG4 = 2.222219843214978396e-01
_LG5 = 1.818357216161805012e-01
_LG6 = 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01


def fdlibm_log(x):
    """The natural logarithm as fdlibm computes it, as the lab's own portable log does (not JavaScript's
    Math.log, whose last bit differs between V8 versions): the lab's normals use it, and C's log may differ
    from it in the last bit."""
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    hx = bits >> 32
    if hx >= 0x80000000:
        hx -= 0x100000000
    lx = bits & 0xFFFFFFFF
    k = 0
    if hx < 0x00100000:
        if ((hx & 0x7FFFFFFF) | lx) == 0:
            return float("-inf")
        if hx < 0:
            return float("nan")
        k -= 54
        x *= _TWO54
        hx = struct.unpack("<Q", struct.pack("<d", x))[0] >> 32
    if hx >= 0x7FF00000:
        return x + x
    k += (hx >> 20) - 1023
    hx &= 0x000FFFFF
    i = (hx + 0x95F64) & 0x100000
    low = struct.unpack("<Q", struct.pack("<d", x))[0] & 0xFFFFFFFF
    x = struct.unpack("<d", struct.pack("<Q", ((hx | (i ^ 0x3FF00000)) << 32) | low))[0]
    k += i >> 20
    f = x - 1.0
    if (0x000FFFFF & (2 + hx)) < 3:
        if f == 0.0:
            if k == 0:
                return 0.0
            dk = float(k)
            return dk * _LN2_HI + dk * _LN2_LO
        R = f * f * (0.5 - 0.33333333333333333 * f)
        if k == 0:
            return f - R
        dk = float(k)
        return dk * _LN2_HI - ((R - dk * _LN2_LO) - f)
    s = f / (2.0 + f)
    dk = float(k)
    z = s * s
    i = hx - 0x6147A
    w = z * z
    j = 0x6B851 - hx
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    i |= j
    R = t2 + t1
    if i > 0:
        hfsq = 0.5 * f * f
        if k == 0:
            return f - (hfsq - s * (hfsq + R))
        return dk * _LN2_HI - ((hfsq - (s * (hfsq + R) + dk * _LN2_LO)) - f)
    if k == 0:
        return f - s * (f - R)
    return dk * _LN2_HI - ((s * (f - R) - dk * _LN2_LO) - f)
`
