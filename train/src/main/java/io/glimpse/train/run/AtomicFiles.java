package io.glimpse.train.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a kill cannot leave half done: the bytes go to {@code .<name>.tmp} beside the target, are
 * fsynced, then renamed over the target in one step, and the directory is fsynced. A reader sees the old file or the
 * new one, never a mix.
 */
final class AtomicFiles {
    private AtomicFiles() {
    }

    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static void write(Path target, Writer writer) {
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                writer.write(out);
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the rename itself must survive a power loss before a later step (deleting older checkpoint arrays) relies on it
            io.glimpse.cache.store.AtomicFiles.syncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }
}
