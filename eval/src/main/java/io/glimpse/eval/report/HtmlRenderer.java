package io.glimpse.eval.report;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders a {@link Document} as one self-contained index.html page (SVG plots, the table, the notes). */
public final class HtmlRenderer {
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");

    private HtmlRenderer() {
    }

    public static String render(Document doc) {
        StringBuilder sb = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8">
                """);
        sb.append("<title>").append(escape(doc.title())).append("</title>\n");
        sb.append("""
                <style>
                body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1200px;color:#222;padding:0 1em}
                table{border-collapse:collapse;font-size:14px;margin:1em 0}
                th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;white-space:nowrap}
                th{background:#f0f0f0} td:first-child,th:first-child{text-align:left}
                tr:nth-child(even){background:#fafafa}
                figure{margin:1.5em 0} figure img{max-width:100%;border:1px solid #eee}
                figcaption{color:#555;font-size:14px} code{background:#f4f4f4;padding:0 3px}
                </style></head><body>
                """);
        sb.append("<h1>").append(escape(doc.title())).append("</h1>\n");
        for (Document.Section s : doc.sections()) {
            sb.append("<h2>").append(escape(s.title())).append("</h2>\n");
            for (Document.Block b : s.blocks()) {
                if (b instanceof Document.Paragraph p) {
                    sb.append("<p>").append(inline(p.text())).append("</p>\n");
                } else if (b instanceof Document.Table t) {
                    table(sb, t);
                } else if (b instanceof Document.Picture p) {
                    sb.append("<figure><img src=\"").append(escape(p.path())).append("\" alt=\"").append(escape(p.caption()))
                            .append("\"><figcaption>").append(inline(p.caption())).append("</figcaption></figure>\n");
                } else if (b instanceof Document.Plot p) {
                    sb.append("<figure><img src=\"").append(escape(p.stem())).append(".svg\" alt=\"")
                            .append(escape(p.caption())).append("\"><figcaption>").append(inline(p.caption()))
                            .append(" (<a href=\"").append(escape(p.stem())).append(".png\">PNG</a>)</figcaption></figure>\n");
                }
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static void table(StringBuilder sb, Document.Table t) {
        sb.append("<table>\n<tr>");
        for (String h : t.header()) sb.append("<th>").append(escape(h)).append("</th>");
        sb.append("</tr>\n");
        for (List<String> r : t.rows()) {
            sb.append("<tr>");
            for (String c : r) sb.append("<td>").append(inline(c)).append("</td>");
            sb.append("</tr>\n");
        }
        sb.append("</table>\n");
    }

    /** Escapes, then turns the two markdown spans the report uses (`code`, **bold**) into HTML. */
    static String inline(String text) {
        String html = escape(text);
        html = CODE.matcher(html).replaceAll(m -> "<code>" + Matcher.quoteReplacement(m.group(1)) + "</code>");
        return BOLD.matcher(html).replaceAll(m -> "<b>" + Matcher.quoteReplacement(m.group(1)) + "</b>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
