package io.glimpse.extract.backbone;

import ai.onnxruntime.OrtEnvironment;
import io.glimpse.cache.CacheStore;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Loads ONNX Runtime's native code from one stable directory; call it before anything touches {@code ai.onnxruntime}.
 * Left alone, ONNX Runtime's Java loader copies its libraries (20 MB, hundreds with the CUDA provider) into a new
 * {@code onnxruntime-java*} folder under java.io.tmpdir on every start and only marks them delete-on-exit: a killed
 * JVM leaves all of it, and even a clean exit leaves the folder, because delete-on-exit runs in reverse order of
 * registration and the folder, registered last, is tried while the libraries are still in it. Instead the libraries
 * go once into {@code <glimpse cache root>/native/<jar>-<version>-<platform>-<digest>} ($GLIMPSE_CACHE, else
 * ~/.cache/glimpse: one copy for every run, whatever their --cache), and the documented {@code onnxruntime.native.path}
 * property points the loader there. An {@code onnxruntime.native.path} set by the user is respected.
 */
final class OrtNativeLoader {
    static final String NATIVE_PATH = "onnxruntime.native.path";

    private OrtNativeLoader() {
    }

    /** Idempotent; {@code notices} gets one line when the stable directory cannot be used and the temp folder is. */
    static synchronized void load(Consumer<String> notices) {
        if (OrtLoaderInternals.initialised()) return; // it reads the property and the provider list once, when it starts
        if (System.getProperty(NATIVE_PATH) == null) {
            Optional<Path> dir;
            try {
                dir = install(CacheStore.fromEnvironment().root().resolve("native"), notices);
            } catch (RuntimeException e) { // e.g. $GLIMPSE_CACHE names a file
                notices.accept(fallback("the Glimpse cache root", e));
                dir = Optional.empty();
            }
            dir.ifPresent(d -> System.setProperty(NATIVE_PATH, d.toString()));
        }
        String path = System.getProperty(NATIVE_PATH);
        if (path != null) OrtLoaderInternals.markProvidersExtracted(providersIn(Path.of(path)));
        OrtEnvironment.getAvailableProviders(); // ONNX Runtime's one-time native initialisation, with the property in place
        OrtLoaderInternals.removeEmptyTempDirectory();
    }

    /**
     * Installs the classpath's libraries under {@code nativeRoot} and returns their directory; empty, after one notice,
     * when that fails (read-only location, full disk), and silently when the jar carries none for this platform.
     */
    static Optional<Path> install(Path nativeRoot, Consumer<String> notices) {
        Path dir = nativeRoot;
        try {
            Optional<OrtNativeLibraries> libs = OrtNativeLibraries.onClasspath();
            if (libs.isEmpty()) return Optional.empty();
            dir = nativeRoot.resolve(libs.get().directoryName());
            libs.get().installInto(dir);
            return Optional.of(dir.toAbsolutePath());
        } catch (IOException | RuntimeException e) {
            notices.accept(fallback(dir.toString(), e));
            return Optional.empty();
        }
    }

    private static List<String> providersIn(Path dir) {
        return OrtNativeLibraries.PROVIDERS.stream().filter(p -> Files.isRegularFile(dir.resolve(OrtNativeLibraries.fileName(p)))).toList();
    }

    private static String fallback(String where, Exception e) {
        String why = e instanceof FileSystemException f
                ? e.getClass().getSimpleName() + (f.getReason() != null ? ": " + f.getReason() : "") + " on " + f.getFile()
                : String.valueOf(e.getMessage());
        return "glimpse: cannot keep ONNX Runtime's native libraries in " + where + " (" + why + "); ONNX Runtime unpacks them into the temp folder this run";
    }
}
