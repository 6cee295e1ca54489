package io.glimpse.eval.report;

import java.util.List;

/**
 * A report as content, independent of its format: sections of paragraphs, tables and plots. report.md and
 * index.html are two renderings of one Document, so they always say the same thing.
 */
public record Document(String title, List<Section> sections) {

    public record Section(String title, List<Block> blocks) {
    }

    public sealed interface Block permits Paragraph, Table, Plot, Picture {
    }

    /** Plain text; {@code `code`} spans are kept as code in both formats. */
    public record Paragraph(String text) implements Block {
    }

    public record Table(List<String> header, List<List<String>> rows) implements Block {
    }

    /** A PNG picture at a path relative to the report folder (e.g. an attention-map grid). */
    public record Picture(String path, String caption) implements Block {
    }

    /** A plot written as {@code stem.png} and {@code stem.svg} beside the report. */
    public record Plot(String stem, String caption) implements Block {
    }
}
