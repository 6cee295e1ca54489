package io.glimpse.eval.report;

import java.util.List;

/** Renders a {@link Document} as GitHub-flavoured markdown (PNG plots, so any viewer shows them). */
public final class MarkdownRenderer {
    private MarkdownRenderer() {
    }

    public static String render(Document doc) {
        StringBuilder sb = new StringBuilder("# ").append(doc.title()).append("\n");
        for (Document.Section s : doc.sections()) {
            sb.append("\n## ").append(s.title()).append("\n");
            for (Document.Block b : s.blocks()) {
                sb.append('\n');
                if (b instanceof Document.Paragraph p) {
                    sb.append(p.text()).append('\n');
                } else if (b instanceof Document.Table t) {
                    table(sb, t);
                } else if (b instanceof Document.Picture p) {
                    sb.append("![").append(p.caption()).append("](").append(p.path()).append(")\n\n*").append(p.caption()).append("*\n");
                } else if (b instanceof Document.Plot p) {
                    sb.append("![").append(p.caption()).append("](").append(p.stem()).append(".png)\n");
                    sb.append("\n*").append(p.caption()).append("* ([SVG](").append(p.stem()).append(".svg))\n");
                }
            }
        }
        return sb.toString();
    }

    static void table(StringBuilder sb, Document.Table t) {
        row(sb, t.header());
        sb.append('|');
        for (int i = 0; i < t.header().size(); i++) sb.append(numeric(t, i) ? "---:|" : "---|");
        sb.append('\n');
        for (List<String> r : t.rows()) row(sb, r);
    }

    /** Right-align columns of numbers, the way tables of results are read. */
    private static boolean numeric(Document.Table t, int column) {
        return t.rows().stream().allMatch(r -> r.get(column).matches("[–*\\d.,()% -]+"));
    }

    private static void row(StringBuilder sb, List<String> cells) {
        sb.append('|');
        for (String c : cells) sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        sb.append('\n');
    }
}
