package io.glimpse.cache.shard;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Crc32cTest {
    private static int crc(byte[] b, int from, int to) {
        CRC32C c = new CRC32C();
        c.update(b, from, to - from);
        return (int) c.getValue();
    }

    @Test
    void combiningTwoPartsGivesTheChecksumOfTheWhole() {
        SplittableRandom rnd = new SplittableRandom(3);
        byte[] data = new byte[1 << 20];
        rnd.nextBytes(data);
        int whole = crc(data, 0, data.length);
        for (int split : new int[] {0, 1, 7, 8, 1000, 65536, 654321, data.length - 1, data.length}) {
            assertEquals(whole, Crc32c.combine(crc(data, 0, split), crc(data, split, data.length), data.length - split), "split at " + split);
        }
    }

    @Test
    void foldingManyPiecesInOrderGivesTheChecksumOfTheWhole() {
        SplittableRandom rnd = new SplittableRandom(4);
        byte[] data = new byte[300_000];
        rnd.nextBytes(data);
        int folded = 0; // the checksum of nothing
        for (int at = 0; at < data.length; ) {
            int len = Math.min(rnd.nextInt(0, 5000), data.length - at);
            folded = Crc32c.combine(folded, crc(data, at, at + len), len);
            at += len;
        }
        assertEquals(crc(data, 0, data.length), folded);
    }
}
