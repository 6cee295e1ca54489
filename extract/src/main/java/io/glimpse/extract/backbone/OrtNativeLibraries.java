package io.glimpse.extract.backbone;

import ai.onnxruntime.OrtEnvironment;
import io.glimpse.extract.config.Hashing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.jar.JarEntry;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;

/**
 * The native libraries that the ONNX Runtime jar on the classpath carries for this platform
 * ({@code ai/onnxruntime/native/<os>-<arch>/}): the runtime, its JNI binding and, in the GPU jar, the execution
 * provider plugins. {@link #installInto} copies them into a directory once; later calls find them there, checked by
 * size and CRC-32 against the jar's entries, and write nothing.
 */
record OrtNativeLibraries(String jar, String platform, List<Library> libraries) {
    /** The names ONNX Runtime's loader looks for, runtime and JNI binding first, then the provider plugins. */
    static final List<String> RUNTIME = List.of("onnxruntime", "onnxruntime4j_jni");
    static final List<String> PROVIDERS = List.of("onnxruntime_providers_shared", "onnxruntime_providers_cuda", "onnxruntime_providers_rocm",
            "onnxruntime_providers_dnnl", "onnxruntime_providers_openvino", "onnxruntime_providers_tensorrt", "onnxruntime_providers_qnn");
    /** A copy left half-written by a killed process is removed once it is this old (a live writer finishes in seconds). */
    private static final Duration STALE_PART = Duration.ofHours(1);

    /** One library: its resource in the jar with the size and CRC-32 a good copy has. */
    record Library(String name, String fileName, URL resource, long size, long crc) {
    }

    /** The libraries for this platform; empty when the jar has no runtime for it (ONNX Runtime then uses java.library.path). */
    static Optional<OrtNativeLibraries> onClasspath() throws IOException {
        Optional<String> platform = currentPlatform();
        if (platform.isEmpty()) return Optional.empty();
        List<Library> libs = new ArrayList<>();
        for (String name : Stream.concat(RUNTIME.stream(), PROVIDERS.stream()).toList()) {
            String file = fileName(name);
            URL url = OrtEnvironment.class.getResource("/ai/onnxruntime/native/" + platform.get() + "/" + file);
            if (url != null) libs.add(describe(name, file, url));
        }
        if (libs.stream().noneMatch(l -> l.name().equals(RUNTIME.get(0)))) return Optional.empty();
        Package p = OrtEnvironment.class.getPackage();
        String title = p.getImplementationTitle() == null ? "onnxruntime" : p.getImplementationTitle();
        String version = p.getImplementationVersion() == null ? "unknown" : p.getImplementationVersion();
        return Optional.of(new OrtNativeLibraries(title + "-" + version, platform.get(), List.copyOf(libs)));
    }

    /**
     * e.g. {@code onnxruntime-1.21.1-linux-x64-3f9a0c1e2b7d}: jar, version, platform and a digest of the libraries'
     * sizes and CRCs, so the CPU and GPU jars, or two builds of one version, never share a directory.
     */
    String directoryName() {
        MessageDigest md = Hashing.sha256();
        for (Library l : libraries) md.update((l.fileName() + " " + l.size() + " " + l.crc() + "\n").getBytes(StandardCharsets.UTF_8));
        return jar + "-" + platform + "-" + HexFormat.of().formatHex(md.digest()).substring(0, 12);
    }

    /**
     * Makes {@code dir} hold a good copy of every library. A missing, truncated or altered file is rewritten through a
     * temporary name in the same directory and an atomic rename, so a concurrent process sees either no file or a
     * whole one, and two processes racing write the same bytes.
     */
    void installInto(Path dir) throws IOException {
        boolean cleaned = false;
        for (Library lib : libraries) {
            Path target = dir.resolve(lib.fileName());
            if (isGoodCopy(target, lib)) continue;
            if (!cleaned) {
                Files.createDirectories(dir);
                removeStaleParts(dir);
                cleaned = true;
            }
            write(lib, target);
        }
    }

    static boolean isGoodCopy(Path file, Library lib) {
        try {
            return Files.isRegularFile(file) && Files.size(file) == lib.size() && crc(file) == lib.crc();
        } catch (IOException e) {
            return false;
        }
    }

    private static void write(Library lib, Path target) throws IOException {
        String suffix = ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path part = target.resolveSibling("." + lib.fileName() + "." + suffix + ".part");
        try {
            CRC32 crc = new CRC32();
            long n;
            try (InputStream in = new CheckedInputStream(lib.resource().openStream(), crc);
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                n = in.transferTo(out);
            }
            if (n != lib.size() || crc.getValue() != lib.crc()) {
                throw new IOException("the copy of " + lib.resource() + " has " + n + " bytes, CRC " + Long.toHexString(crc.getValue())
                        + "; the jar says " + lib.size() + ", " + Long.toHexString(lib.crc()));
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                // another process may have just put the same file there and hold it open (Windows refuses the rename)
                if (!isGoodCopy(target, lib)) throw e;
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    private static void removeStaleParts(Path dir) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_PART);
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(dir, ".*.part")) {
            for (Path p : parts) {
                try {
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) Files.deleteIfExists(p);
                } catch (IOException e) {
                    // someone else removed or still owns it; not ours to insist on
                }
            }
        }
    }

    private static Library describe(String name, String file, URL url) throws IOException {
        URLConnection c = url.openConnection();
        if (c instanceof JarURLConnection jarConnection) {
            // the jar's central directory has size and CRC: no need to inflate 20+ MB to learn them
            JarEntry e = jarConnection.getJarEntry();
            if (e.getSize() >= 0 && e.getCrc() >= 0) return new Library(name, file, url, e.getSize(), e.getCrc());
        }
        CRC32 crc = new CRC32();
        long n;
        try (InputStream in = new CheckedInputStream(c.getInputStream(), crc)) {
            n = in.transferTo(OutputStream.nullOutputStream());
        }
        return new Library(name, file, url, n, crc.getValue());
    }

    static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                crc.update(buf);
                buf.clear();
            }
        }
        return crc.getValue();
    }

    /** The file name ONNX Runtime's loader gives a library ({@code libonnxruntime.so}, {@code onnxruntime.dll}, ...). */
    static String fileName(String name) {
        return System.mapLibraryName(name).replace("jnilib", "dylib");
    }

    /** ONNX Runtime's name for this platform's resource folder, e.g. {@code linux-x64}, {@code osx-aarch64}, {@code win-x64}. */
    static Optional<String> currentPlatform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch.startsWith("x86") ? "x86"
                : arch.startsWith("aarch64") ? "aarch64" : arch.startsWith("ppc64") ? "ppc64" : null;
        return o == null || a == null ? Optional.empty() : Optional.of(o + "-" + a);
    }
}
