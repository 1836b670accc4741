package io.iocp4j.bench.run;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart as SVG text, written by hand so the report needs no plotting tool: groups of bars (one group
 * per workload, one bar per server), a bar's length proportional to its value, a dashed line at {@code reference}.
 */
public final class SvgChart {
    static final int WIDTH = 900;
    static final int LABEL_WIDTH = 150;
    static final int PLOT_WIDTH = 560;
    static final int BAR_HEIGHT = 16;
    static final int BAR_GAP = 4;
    static final int GROUP_GAP = 34;
    static final int TOP = 50;
    private static final String[] COLOURS = {"#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    /** One bar: its label, its length-giving value, and the text written beside it. */
    public record Bar(String label, double value, String text) {
    }

    public record Group(String title, List<Bar> bars) {
    }

    private SvgChart() {
    }

    /** Bars are coloured by the position of their label in {@code labels}, so a server keeps its colour. */
    public static String render(String title, String reference, double referenceValue, List<String> labels,
                                List<Group> groups) {
        double max = referenceValue;
        int rows = 0;
        for (Group group : groups) {
            for (Bar bar : group.bars()) {
                if (!(bar.value() >= 0) || Double.isInfinite(bar.value())) {
                    throw new IllegalArgumentException("bar " + bar.label() + " has no length: " + bar.value());
                }
                max = Math.max(max, bar.value());
            }
            rows += group.bars().size();
        }
        double scale = PLOT_WIDTH / max;
        int height = TOP + groups.size() * GROUP_GAP + rows * (BAR_HEIGHT + BAR_GAP) + 20;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH,
                height));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s"
                + "</text>%n", escape(title)));
        int y = TOP;
        for (Group group : groups) {
            svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n",
                    y + 14, escape(group.title())));
            y += GROUP_GAP - 10;
            for (Bar bar : group.bars()) {
                int colour = Math.max(0, labels.indexOf(bar.label())) % COLOURS.length;
                double length = bar.value() * scale;
                svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        LABEL_WIDTH - 6, y + BAR_HEIGHT - 4, escape(bar.label())));
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\""
                        + " fill=\"%s\"/>%n", LABEL_WIDTH, y, length, BAR_HEIGHT, COLOURS[colour]));
                svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                        LABEL_WIDTH + length + 5, y + BAR_HEIGHT - 4, escape(bar.text())));
                y += BAR_HEIGHT + BAR_GAP;
            }
            y += 10;
        }
        double referenceX = LABEL_WIDTH + referenceValue * scale;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\""
                + " stroke-dasharray=\"4 3\"/>%n", referenceX, TOP - 8, referenceX, y));
        svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                referenceX, TOP - 12, escape(reference)));
        svg.append("</svg>\n");
        return svg.toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
