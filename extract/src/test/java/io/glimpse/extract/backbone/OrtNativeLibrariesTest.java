package io.glimpse.extract.backbone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OrtNativeLibrariesTest {

    @Test
    void installsOnceThenLeavesGoodCopiesAlone(@TempDir Path tmp) throws Exception {
        OrtNativeLibraries libs = OrtNativeLibraries.onClasspath().orElseThrow();
        List<String> names = libs.libraries().stream().map(OrtNativeLibraries.Library::name).toList();
        assertTrue(names.containsAll(OrtNativeLibraries.RUNTIME), names.toString());
        String dirName = libs.directoryName();
        assertTrue(dirName.contains("-" + OrtNativeLibraries.currentPlatform().orElseThrow() + "-"), dirName);

        Path dir = tmp.resolve("native").resolve(dirName);
        libs.installInto(dir);
        Map<String, Object> identity = new HashMap<>();
        for (OrtNativeLibraries.Library l : libs.libraries()) {
            Path f = dir.resolve(l.fileName());
            assertTrue(OrtNativeLibraries.isGoodCopy(f, l), f.toString());
            identity.put(l.fileName(), Files.readAttributes(f, BasicFileAttributes.class).fileKey());
        }
        try (var files = Files.list(dir)) {
            assertEquals(libs.libraries().size(), files.count(), "nothing but the libraries (no .part files)");
        }

        libs.installInto(dir);
        for (OrtNativeLibraries.Library l : libs.libraries()) {
            Object key = Files.readAttributes(dir.resolve(l.fileName()), BasicFileAttributes.class).fileKey();
            assertEquals(identity.get(l.fileName()), key, l.fileName() + " was rewritten although it was good");
        }
    }

    @Test
    void truncatedOrAlteredCopiesAreReplacedAndStalePartsSwept(@TempDir Path tmp) throws Exception {
        OrtNativeLibraries libs = OrtNativeLibraries.onClasspath().orElseThrow();
        OrtNativeLibraries.Library runtime = libs.libraries().get(0);
        OrtNativeLibraries.Library jni = libs.libraries().get(1);
        Path dir = tmp.resolve(libs.directoryName());
        libs.installInto(dir);

        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(runtime.fileName()).toFile(), "rw")) {
            f.setLength(runtime.size() / 2); // a copy cut short, e.g. by a full disk
        }
        try (RandomAccessFile f = new RandomAccessFile(dir.resolve(jni.fileName()).toFile(), "rw")) {
            f.seek(jni.size() / 2);
            int b = f.read();
            f.seek(jni.size() / 2);
            f.write(b ^ 0xFF); // same size, different bytes
        }
        assertFalse(OrtNativeLibraries.isGoodCopy(dir.resolve(runtime.fileName()), runtime));
        assertFalse(OrtNativeLibraries.isGoodCopy(dir.resolve(jni.fileName()), jni));
        Path stale = Files.writeString(dir.resolve("." + runtime.fileName() + ".1-dead.part"), "half");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofDays(1))));
        Path live = Files.writeString(dir.resolve("." + runtime.fileName() + ".2-busy.part"), "being written");

        libs.installInto(dir);
        assertTrue(OrtNativeLibraries.isGoodCopy(dir.resolve(runtime.fileName()), runtime));
        assertTrue(OrtNativeLibraries.isGoodCopy(dir.resolve(jni.fileName()), jni));
        assertFalse(Files.exists(stale), "a day-old .part file is swept");
        assertTrue(Files.exists(live), "a fresh .part file may belong to a running writer");
    }

    @Test
    void directoryNameChangesWithTheLibraries() throws Exception {
        URL any = new URL("file:/x");
        OrtNativeLibraries a = new OrtNativeLibraries("onnxruntime-1.0", "linux-x64", List.of(new OrtNativeLibraries.Library("onnxruntime", "libonnxruntime.so", any, 10, 1)));
        OrtNativeLibraries b = new OrtNativeLibraries("onnxruntime-1.0", "linux-x64", List.of(new OrtNativeLibraries.Library("onnxruntime", "libonnxruntime.so", any, 10, 2)));
        assertTrue(a.directoryName().startsWith("onnxruntime-1.0-linux-x64-"), a.directoryName());
        assertNotEquals(a.directoryName(), b.directoryName());
    }

    @Test
    void unusableLocationFallsBackWithOneNotice(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        List<String> notices = new ArrayList<>();
        assertTrue(OrtNativeLoader.install(file.resolve("native"), notices::add).isEmpty());
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith("glimpse: cannot keep ONNX Runtime's native libraries in " + file.resolve("native")), notices.get(0));
        assertFalse(notices.get(0).contains("\n"), notices.get(0));
    }
}
