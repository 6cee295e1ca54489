package io.glimpse.cache.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.glimpse.cache.CacheStore;
import io.glimpse.cache.TokenCache;
import io.glimpse.cache.read.Gatherer;
import io.glimpse.cache.read.SeededOrder;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read side of {@code bench/int8.sh}: one gather epoch of each given entry's default layer into float32
 * [1024, T, D] batches (what training consumes: float16 widened, int8 dequantised), in shuffled and in stored order,
 * on the warm page cache; the entries take turns pass by pass so that the machine's load hits them alike, and each
 * figure is the median of the passes after one warm-up. Prints JSON: per entry its dtype, rows, shard bytes and
 * seconds per epoch. Usage: DtypeReadBench CACHE_DIR PASSES KEY [KEY...].
 */
public final class DtypeReadBench {
    private static final int BATCH = 1024;
    private static volatile double sink;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: DtypeReadBench CACHE_DIR PASSES KEY [KEY...]");
            System.exit(2);
        }
        CacheStore store = CacheStore.open(Path.of(args[0]));
        int passes = Integer.parseInt(args[1]);
        List<TokenCache> caches = new ArrayList<>();
        for (int i = 2; i < args.length; i++) caches.add(store.openReader(store.resolve(args[i]).key()));
        double[][] shuffled = new double[caches.size()][passes];
        double[][] sequential = new double[caches.size()][passes];
        for (int p = -1; p < passes; p++) { // pass -1 warms the page cache and the JIT
            for (int c = 0; c < caches.size(); c++) {
                TokenCache cache = caches.get(c);
                double s = epoch(cache, SeededOrder.permutation(cache.rows(), 42, p + 1));
                double q = epoch(cache, identity(cache.rows()));
                if (p >= 0) {
                    shuffled[c][p] = s;
                    sequential[c][p] = q;
                }
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int c = 0; c < caches.size(); c++) {
            TokenCache cache = caches.get(c);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("key", cache.key().hex());
            e.put("dtype", cache.dtype().label());
            e.put("rows", cache.rows());
            e.put("tokens", cache.layout().tokens());
            e.put("dim", cache.layout().dim());
            e.put("shard_bytes", cache.manifest().shardBytes());
            e.put("bytes_on_disk", store.resolve(cache.key().hex()).bytesOnDisk());
            e.put("token_bytes_per_row", cache.dtype().rowBytes(cache.layout()));
            e.put("shuffled_epoch_seconds", round(median(shuffled[c])));
            e.put("sequential_epoch_seconds", round(median(sequential[c])));
            out.add(e);
            cache.close();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("batch", BATCH);
        result.put("passes", passes);
        result.put("entries", out);
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result));
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    /** Seconds to gather every row in {@code order}, batch by batch, as float32. */
    private static double epoch(TokenCache cache, int[] order) {
        int rowValues = cache.layout().rowValues();
        FloatBuffer dst = ByteBuffer.allocateDirect(BATCH * rowValues * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        int[] rows = new int[BATCH];
        Gatherer g = cache.newGatherer();
        double acc = 0;
        long t0 = System.nanoTime();
        for (int from = 0; from < order.length; from += BATCH) {
            int n = Math.min(BATCH, order.length - from);
            System.arraycopy(order, from, rows, 0, n);
            g.gather(rows, n, 0, dst);
            acc += dst.get(7);
        }
        sink = acc;
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double median(double[] s) {
        double[] c = s.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }
}
