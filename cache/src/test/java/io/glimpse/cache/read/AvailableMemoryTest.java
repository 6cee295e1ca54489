package io.glimpse.cache.read;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class AvailableMemoryTest {
    @TempDir
    Path dir;

    @Test
    void readsMemAvailableAndACgroupLimit() throws Exception {
        Path meminfo = dir.resolve("meminfo");
        Files.writeString(meminfo, "MemTotal:       24000000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\nCached: 5 kB\n");
        assertEquals(20_000_000L * 1024, AvailableMemory.memAvailable(meminfo));
        assertEquals(-1, AvailableMemory.memAvailable(dir.resolve("absent")));
        Files.writeString(meminfo, "MemTotal: 1 kB\n");
        assertEquals(-1, AvailableMemory.memAvailable(meminfo), "an old kernel without MemAvailable: unknown");

        Path cg = Files.createDirectory(dir.resolve("cg"));
        assertEquals(-1, AvailableMemory.cgroupRoom(cg));
        Files.writeString(cg.resolve("memory.max"), "max\n");
        assertEquals(-1, AvailableMemory.cgroupRoom(cg));
        Files.writeString(cg.resolve("memory.max"), "8000000000\n");
        Files.writeString(cg.resolve("memory.current"), "5000000000\n");
        Files.writeString(cg.resolve("memory.stat"), "anon 2000000000\nfile 3000000000\n");
        assertEquals(6_000_000_000L, AvailableMemory.cgroupRoom(cg), "page cache in the group is reclaimable");
        assertTrue(AvailableMemory.bytes() != 0);
    }
}
