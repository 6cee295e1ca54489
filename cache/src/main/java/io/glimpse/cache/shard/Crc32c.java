package io.glimpse.cache.shard;

/**
 * CRC-32C arithmetic the JDK lacks: {@link #combine} gives the checksum of A followed by B from the checksums of A
 * and B and the length of B, so worker threads can checksum the token buffers they fill while the file's running
 * checksum, in file order, costs O(log length) per buffer. Same method as zlib's crc32_combine: multiply by
 * x^(8·len) modulo the (reflected) polynomial, with a table of x^(2^k). Values are the JDK's finished CRC32C values.
 */
final class Crc32c {
    private static final int POLY = 0x82f63b78;
    private static final int[] X2N = new int[32];

    static {
        int p = 1 << 30; // x^1
        X2N[0] = p;
        for (int k = 1; k < 32; k++) {
            X2N[k] = p = multiply(p, p);
        }
    }

    private Crc32c() {
    }

    /** CRC-32C of A‖B, given crc(A), crc(B) and B's length in bytes. */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) throw new IllegalArgumentException("negative length " + lengthB);
        return multiply(xPow8n(lengthB), crcA) ^ crcB;
    }

    /** a·b modulo the polynomial, bit-reflected (bit 31 is x^0). */
    private static int multiply(int a, int b) {
        int m = 1 << 31;
        int p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) return p;
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ POLY : b >>> 1;
        }
    }

    /** x^(8·n) modulo the polynomial. */
    private static int xPow8n(long n) {
        int p = 1 << 31; // x^0
        for (int k = 3; n != 0; n >>>= 1, k++) {
            if ((n & 1) != 0) p = multiply(X2N[k & 31], p);
        }
        return p;
    }
}
