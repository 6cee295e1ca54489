package io.glimpse.extract.backbone;

import ai.onnxruntime.OrtEnvironment;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Touches of ONNX Runtime's package-private loader ({@code ai.onnxruntime.OnnxRuntime}, 1.21) that its documented
 * properties do not cover. All are best effort: when a field is not there, ONNX Runtime keeps its
 * default behaviour and only its temp folder is littered again (the no-litter test then fails).
 * <ul>
 * <li>Provider plugins (GPU jar): the loader copies any it finds among its resources into its temp directory
 * before it looks at {@code onnxruntime.native.path}, although the runtime then loads them from its own directory.
 * Listing them as already extracted makes it skip the copy.</li>
 * <li>The loader creates a temp directory on every start, even when nothing is copied into it, and only marks it
 * delete-on-exit (which never runs for a killed JVM). Once initialised it is removed if empty.</li>
 * </ul>
 */
final class OrtLoaderInternals {
    private static final String LOADER = "ai.onnxruntime.OnnxRuntime";

    private OrtLoaderInternals() {
    }

    /** True once the loader has loaded the native libraries (false when that cannot be told). */
    static boolean initialised() {
        try {
            return Boolean.TRUE.equals(field(loaderClass(), "loaded").get(null));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Tells the loader that these provider libraries already lie next to the runtime. Call before it initialises. */
    static void markProvidersExtracted(Collection<String> providers) {
        if (providers.isEmpty()) return;
        try {
            Class<?> loader = loaderClass();
            Object set = field(loader, "extractedSharedProviders").get(null);
            if (!(set instanceof Set<?>)) return;
            @SuppressWarnings("unchecked") Set<String> extracted = (Set<String>) set;
            synchronized (loader) { // the loader's own methods are static synchronized
                extracted.addAll(providers);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // the loader copies the providers to its temp directory, as it does by default
        }
    }

    /** Removes the loader's temp directory if it is there and empty. Call after it has initialised. */
    static void removeEmptyTempDirectory() {
        try {
            if (field(loaderClass(), "tempDirectory").get(null) instanceof Path dir) Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // it holds libraries that were loaded from it: delete-on-exit takes care of them
        } catch (IOException | ReflectiveOperationException | RuntimeException | LinkageError e) {
            // left to the loader's delete-on-exit
        }
    }

    private static Class<?> loaderClass() throws ClassNotFoundException {
        return Class.forName(LOADER, true, OrtEnvironment.class.getClassLoader());
    }

    private static Field field(Class<?> c, String name) throws NoSuchFieldException {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
