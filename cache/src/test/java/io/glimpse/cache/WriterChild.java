package io.glimpse.cache;

import java.nio.file.Path;
import java.util.List;

/**
 * Run in a child JVM by the fault tests: opens a writer on {@code args[0]}, appends {@code args[1]} rows (some
 * shards commit, the rest stay in flight), prints "ready" and waits to be killed while holding the entry's lock.
 */
public final class WriterChild {
    public static void main(String[] args) throws Exception {
        CacheStore store = CacheStore.open(Path.of(args[0]));
        int rows = Integer.parseInt(args[1]);
        CacheDescription d = Synthetic.description("train", TokenDtype.FLOAT16, FaultTest.LAYERS, 1);
        EntryWriter w = store.openWriter(d, FaultTest.LAYOUT, FaultTest.OPTIONS);
        Synthetic.append(w, FaultTest.LAYOUT, FaultTest.LAYERS, 0, rows, 37, 4);
        System.out.println("ready " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000); // the test kills us long before
        w.close();
    }

}
