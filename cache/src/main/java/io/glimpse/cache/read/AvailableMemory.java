package io.glimpse.cache.read;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory this process could fill with page cache before the kernel has to evict: the kernel's MemAvailable (free
 * memory plus reclaimable cache), lowered to a cgroup v2 limit when the process runs in one; without /proc the
 * JVM's view of the machine's physical memory; -1 when nothing says.
 */
public final class AvailableMemory {
    private AvailableMemory() {
    }

    public static long bytes() {
        long proc = memAvailable(Path.of("/proc/meminfo"));
        long cgroup = cgroupRoom(Path.of("/sys/fs/cgroup"));
        if (proc >= 0) return cgroup >= 0 ? Math.min(proc, cgroup) : proc;
        return physicalMemory();
    }

    /** MemAvailable of a /proc/meminfo file in bytes, or -1. */
    static long memAvailable(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.substring("MemAvailable:".length()).trim().split("\\s+");
                    long kib = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? kib * 1024 : kib;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or an unexpected format: unknown
        }
        return -1;
    }

    /** A cgroup v2 memory.max minus what the group holds beyond its page cache (reclaimable), or -1 without a limit. */
    static long cgroupRoom(Path cgroup) {
        try {
            String max = Files.readString(cgroup.resolve("memory.max")).trim();
            if (max.equals("max")) return -1;
            long current = Long.parseLong(Files.readString(cgroup.resolve("memory.current")).trim());
            long file = 0;
            for (String line : Files.readAllLines(cgroup.resolve("memory.stat"))) {
                if (line.startsWith("file ")) file = Long.parseLong(line.substring(5).trim());
            }
            return Math.max(0, Long.parseLong(max) - (current - file));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long physicalMemory() {
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                return os.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError e) {
            // a JVM without the extension: unknown
        }
        return -1;
    }
}
