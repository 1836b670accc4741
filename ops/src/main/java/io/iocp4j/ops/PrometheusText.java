package io.iocp4j.ops;

/**
 * Writes metric families in the Prometheus text exposition format, version 0.0.4: a {@code # HELP} and a
 * {@code # TYPE} line per family, then its samples, one per line, label values quoted and escaped.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(4096);

    /** Starts a family; its samples follow. {@code type}: {@code counter} or {@code gauge}. */
    PrometheusText family(String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ');
        escapeHelp(help);
        text.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, double value) {
        text.append(name).append(' ');
        value(value);
        return this;
    }

    /** A sample with one label. */
    PrometheusText sample(String name, String label, String labelValue, double value) {
        text.append(name).append('{').append(label).append("=\"");
        escapeLabelValue(labelValue);
        text.append("\"} ");
        value(value);
        return this;
    }

    PrometheusText counter(String name, String help, double value) {
        return family(name, "counter", help).sample(name, value);
    }

    PrometheusText gauge(String name, String help, double value) {
        return family(name, "gauge", help).sample(name, value);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private void value(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            // Whole numbers as integers: what scrapers and people read most easily, and exact.
            text.append((long) value);
        } else if (Double.isNaN(value)) {
            text.append("NaN");
        } else if (Double.isInfinite(value)) {
            text.append(value > 0 ? "+Inf" : "-Inf");
        } else {
            text.append(value);
        }
        text.append('\n');
    }

    /** In HELP text a backslash and a line feed are escaped; a double quote is not. */
    private void escapeHelp(String help) {
        escape(help, false);
    }

    /** In a label value a backslash, a double quote and a line feed are escaped. */
    private void escapeLabelValue(String value) {
        escape(value, true);
    }

    private void escape(String value, boolean quotes) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                text.append("\\\\");
            } else if (c == '\n') {
                text.append("\\n");
            } else if (c == '"' && quotes) {
                text.append("\\\"");
            } else {
                text.append(c);
            }
        }
    }
}
