package io.glimpse.train.memory;

import io.glimpse.train.TrainInputException;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How many bytes the heads of one training pass may take ({@code --memory-budget}), and where the number came from.
 * The default is what the machine has available now (MemAvailable of /proc/meminfo, else the JVM's view of free
 * physical memory) minus headroom for the page cache the token reads need and for everything else running: an
 * eighth of it, at least 512 MiB.
 */
public record MemoryBudget(long bytes, String source) {
    public static final MemoryBudget UNLIMITED = new MemoryBudget(Long.MAX_VALUE, "unlimited");
    private static final long MIB = 1L << 20;
    private static final long MIN_HEADROOM = 512 * MIB;
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern MEM_AVAILABLE = Pattern.compile("(?m)^MemAvailable:\\s+(\\d+)\\s+kB");

    public MemoryBudget {
        if (bytes <= 0) throw new TrainInputException("--memory-budget must be > 0, got " + bytes + " bytes");
    }

    /** {@code 16G}, {@code 800M}, {@code 1.5GiB}, {@code 123456} (bytes); binary units. */
    public static MemoryBudget parse(String text) {
        Matcher m = SIZE.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new TrainInputException("--memory-budget: '" + text + "' is not a size (e.g. 16G, 800M, 1.5GiB)");
        }
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        double bytes = Double.parseDouble(m.group(1)) * (1L << shift);
        if (bytes < 1 || bytes >= Long.MAX_VALUE) throw new TrainInputException("--memory-budget: '" + text + "' is out of range");
        return new MemoryBudget((long) bytes, "--memory-budget " + text.trim());
    }

    /** What this machine has available now, minus headroom. */
    public static MemoryBudget available() {
        return fromAvailable(Path.of("/proc/meminfo"));
    }

    static MemoryBudget fromAvailable(Path meminfo) {
        long available;
        String from;
        try {
            Matcher m = MEM_AVAILABLE.matcher(Files.readString(meminfo));
            if (!m.find()) throw new IOException("no MemAvailable line");
            available = Long.parseLong(m.group(1)) * 1024;
            from = "MemAvailable";
        } catch (IOException | RuntimeException e) {
            available = freePhysicalMemory();
            from = "free physical memory";
        }
        long headroom = Math.max(MIN_HEADROOM, available / 8);
        long bytes = Math.max(MIB, available - headroom);
        return new MemoryBudget(bytes, from + " " + human(available) + " minus " + human(headroom) + " headroom");
    }

    private static long freePhysicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getFreeMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** Bytes as people read them: {@code 1.5 GiB}, {@code 300 MiB}. */
    public static String human(long bytes) {
        if (bytes >= (1L << 30)) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        if (bytes >= MIB) return String.format(Locale.ROOT, "%.0f MiB", bytes / (double) MIB);
        return String.format(Locale.ROOT, "%.0f KiB", Math.ceil(bytes / 1024.0));
    }

    @Override
    public String toString() {
        return bytes == Long.MAX_VALUE ? "unlimited" : human(bytes) + " (" + source + ")";
    }
}
