package io.glimpse.eval.report;

import io.glimpse.train.run.Complementarity;
import io.glimpse.train.run.RunResult;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one table every report format shows (markdown, CSV, HTML), so the formats cannot drift apart. Rows are
 * ordered by trainable parameters (k-NN, with none, first): the accuracy-versus-cost reading of the study.
 */
public final class ResultsTable {

    /** One column: a raw value for CSV/JSON and a display form for people. Missing values are null. */
    public record Column(String key, String header, Function<RunResult, Object> raw, Function<Object, String> display,
                         boolean shown) {
        Column(String key, String header, Function<RunResult, Object> raw, Function<Object, String> display) {
            this(key, header, raw, display, true);
        }

        public String displayOf(RunResult r) {
            Object v = raw.apply(r);
            return v == null ? "–" : display.apply(v);
        }

        public String csvOf(RunResult r) {
            Object v = raw.apply(r);
            if (v == null) return "";
            if (v instanceof Double d) return Double.isNaN(d) ? "" : String.valueOf(d);
            return String.valueOf(v);
        }
    }

    private final List<RunResult> rows;
    private final Map<RunResult, String> labels;
    private final List<Column> columns;

    public ResultsTable(List<RunResult> runs) {
        this.labels = ProbeLabels.of(runs);
        List<RunResult> sorted = new ArrayList<>(runs);
        sorted.sort(Comparator.comparing((RunResult r) -> !r.isKnn())
                .thenComparing(r -> r.params() == null ? Long.MAX_VALUE : r.params())
                .thenComparing(labels::get));
        this.rows = List.copyOf(sorted);
        this.columns = buildColumns();
    }

    public List<RunResult> rows() {
        return rows;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Columns for people: shown ones that hold a value in at least one row. */
    public List<Column> documentColumns() {
        return columns.stream().filter(Column::shown)
                .filter(c -> rows.stream().anyMatch(r -> !c.displayOf(r).equals("–"))).toList();
    }

    public String label(RunResult r) {
        return labels.get(r);
    }

    private List<Column> buildColumns() {
        List<Column> c = new ArrayList<>();
        c.add(new Column("label", "probe", labels::get, Object::toString));
        // identification columns for CSV/JSON; the document's label already tells the rows apart
        c.add(new Column("run_id", "run", RunResult::runId, Object::toString, false));
        c.add(new Column("probe", "probe key", RunResult::probe, Object::toString, false));
        c.add(new Column("backbone", "backbone", RunResult::backbone, Object::toString, false));
        c.add(new Column("dataset", "dataset", RunResult::dataset, Object::toString, false));
        c.add(new Column("layer", "layer", RunResult::layer, Object::toString));
        c.add(new Column("params", "params", RunResult::params, ResultsTable::grouped));
        c.add(new Column("flops_per_sample", "FLOPs/sample", RunResult::flopsPerSample, ResultsTable::grouped));
        c.add(new Column("top1_best", "top-1 best %", RunResult::top1Best, v -> fixed(v, 2)));
        c.add(new Column("best_epoch", "@epoch", RunResult::bestEpoch, Object::toString));
        c.add(new Column("top5_best", "top-5 best %", RunResult::top5Best, v -> fixed(v, 2)));
        c.add(new Column("mean_per_class_best", "mean/class best %", RunResult::meanPerClassBest, v -> fixed(v, 2)));
        c.add(new Column("top1_last", "top-1 last %", RunResult::top1Last, v -> fixed(v, 2)));
        c.add(new Column("top5_last", "top-5 last %", RunResult::top5Last, v -> fixed(v, 2)));
        c.add(new Column("val_top1_best", "val top-1 best %", RunResult::valTop1Best, v -> fixed(v, 2)));
        c.add(new Column("test_top1_at_val_best", "test top-1 @val-best %", RunResult::testTop1AtValBest, v -> fixed(v, 2)));
        c.add(new Column("epochs", "epochs", RunResult::epochs, Object::toString));
        c.add(new Column("train_seconds", "train s", RunResult::trainSeconds, v -> fixed(v, 1)));
        c.add(new Column("train_cpu_seconds", "train CPU s", RunResult::trainCpuSeconds, v -> fixed(v, 1)));
        c.add(new Column("heads_in_pass", "heads/pass", RunResult::headsInPass, Object::toString));
        c.add(new Column("samples_per_second", "samples/s", RunResult::samplesPerSecond, v -> fixed(v, 0)));
        c.add(new Column("extract_seconds", "extract s", RunResult::extractSeconds, v -> fixed(v, 1)));
        c.add(new Column("avg_similarity", "avg sim", r -> comp(r, Complementarity::avgSimilarity), v -> fixed(v, 4)));
        c.add(new Column("max_similarity", "max sim", r -> comp(r, Complementarity::maxSimilarity), v -> fixed(v, 4)));
        c.add(new Column("entropy_mean", "entropy (nats)", r -> comp(r, Complementarity::meanEntropy), v -> fixed(v, 4)));
        c.add(new Column("entropy_max", "ln N", r -> comp(r, Complementarity::maxEntropy), v -> fixed(v, 4)));
        return c;
    }

    private static Double comp(RunResult r, Function<Complementarity, Double> f) {
        if (r.complementarity() == null) return null;
        Double v = f.apply(r.complementarity());
        return v == null || v.isNaN() ? null : v;
    }

    static String grouped(Object v) {
        return String.format(Locale.ROOT, "%,d", ((Number) v).longValue());
    }

    static String fixed(Object v, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f", ((Number) v).doubleValue());
    }
}
