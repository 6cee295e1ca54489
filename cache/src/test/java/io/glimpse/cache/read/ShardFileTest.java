package io.glimpse.cache.read;

import io.glimpse.cache.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

/** Positional reads of unaligned ranges, O_DIRECT (where this filesystem allows it) and buffered alike. */
class ShardFileTest {
    @TempDir
    Path dir;

    @Test
    void unalignedRangesReadBackExactlyInBothModesAndATruncatedFileIsNamed() throws Exception {
        byte[] data = new byte[300_001];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("shard-00003.arrow");
        Files.write(file, data);
        for (boolean direct : new boolean[] {true, false}) {
            try (ShardFile f = ShardFile.open(file, "entry: shard-00003.arrow", direct)) {
                if (!direct) assertFalse(f.direct());
                ByteBuffer scratch = ShardFile.scratch(70_000, f.align());
                Random r = new Random(direct ? 1 : 2);
                for (int i = 0; i < 200; i++) {
                    int len = 1 + r.nextInt(70_000);
                    int off = i == 0 ? data.length - len : r.nextInt(data.length - len + 1); // the last bytes of the file too
                    ByteBuffer got = f.read(off, len, scratch);
                    assertEquals(len, got.remaining());
                    byte[] b = new byte[len];
                    got.get(b);
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, off, off + len), b, "direct=" + f.direct() + " at " + off + "+" + len);
                }
            }
        }
        try (ShardFile direct = ShardFile.open(file, "entry: shard-00003.arrow", true);
             ShardFile buffered = ShardFile.open(file, "entry: shard-00003.arrow", false)) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(123_457);
            }
            for (ShardFile f : new ShardFile[] {direct, buffered}) {
                BadInputException e = assertThrows(BadInputException.class, () -> f.read(120_000, 10_000, ShardFile.scratch(10_000, f.align())));
                assertEquals("entry: shard-00003.arrow: truncated (the file ends at byte 123457, a row needs bytes up to 130000); run glimpse cache verify",
                        e.getMessage());
            }
        }
        assertThrows(BadInputException.class, () -> ShardFile.open(dir.resolve("absent.arrow"), "entry: absent.arrow", true), "entry: absent.arrow: missing");
    }
}
