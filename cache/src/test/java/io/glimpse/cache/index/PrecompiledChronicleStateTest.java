package io.glimpse.cache.index;

import net.openhft.chronicle.hash.VanillaGlobalMutableState;
import net.openhft.chronicle.values.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The precompiled Chronicle Map header state (src/main/java/net/openhft/chronicle/hash) must be exactly what the
 * library on the classpath would generate, or maps would be read through a layout of another version; and it must be
 * the class Chronicle Map uses, so that opening an index runs no javac.
 */
class PrecompiledChronicleStateTest {
    private static final Path SOURCE = Path.of("src/main/java/net/openhft/chronicle/hash/VanillaGlobalMutableState$$Native.java");

    @Test
    void committedSourceIsWhatTheLibraryGenerates() throws Exception {
        Class<?> modelClass = Class.forName("net.openhft.chronicle.values.ValueModel");
        Object model = modelClass.getMethod("acquire", Class.class).invoke(null, VanillaGlobalMutableState.class);
        Method generate = Class.forName("net.openhft.chronicle.values.Generators").getDeclaredMethod("generateNativeClass", modelClass, String.class);
        generate.setAccessible(true);
        String expected = (String) generate.invoke(null, model, "VanillaGlobalMutableState$$Native");
        String committed = Files.readString(SOURCE);
        String body = committed.substring(committed.indexOf("package "));
        assertEquals(expected, body, SOURCE + " is stale for this Chronicle version: replace everything from 'package' on with the generator's output");
    }

    @Test
    void chronicleMapUsesThePrecompiledClass(@TempDir Path dir) throws Exception {
        try (RowIndex index = RowIndex.create(dir.resolve("index"), 100, 8)) {
            index.put("a", 0, 1);
        }
        Class<?> used = Values.nativeClassFor(VanillaGlobalMutableState.class);
        assertSame(net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native.class, used, "the shipped class, not one compiled at run time");
        try (RowIndex reopened = RowIndex.open(dir.resolve("index"), "test")) {
            assertEquals(RowIndex.pack(0, 1), reopened.get("a").getAsLong());
        }
    }
}
