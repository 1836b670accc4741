package io.iocp4j.ops;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written from the format's rules: metric and
 * label names by their grammar, label values with only the three escapes, each family's TYPE at most once and
 * before its samples, a family's samples together, no series twice, values as Go's float syntax allows.
 * Anything else throws, naming the line.
 */
final class ExpositionParser {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** A parsed exposition: samples by series ({@code name} or {@code name{a="x",b="y"}}, labels sorted). */
    record Exposition(Map<String, Double> samples, Map<String, String> types, Map<String, String> help) {
        double value(String series) {
            Double value = samples.get(series);
            if (value == null) {
                throw new AssertionError("no series " + series + " in " + samples.keySet());
            }
            return value;
        }
    }

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, String> types = new HashMap<>();
    private final Map<String, String> help = new HashMap<>();
    private final Set<String> familiesDone = new HashSet<>();
    private String currentFamily;
    private int lineNumber;

    static Exposition parse(String text) {
        ExpositionParser parser = new ExpositionParser();
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the exposition must end with a line feed");
        }
        for (String line : text.split("\n", -1)) {
            parser.lineNumber++;
            parser.line(line);
        }
        return new Exposition(parser.samples, parser.types, parser.help);
    }

    private void line(String line) {
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("#")) {
            comment(line);
        } else {
            sample(line);
        }
    }

    private void comment(String line) {
        String[] parts = line.split("[ \t]+", 4);
        if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
            return;
        }
        String name = parts[2];
        requireName(name);
        String rest = parts.length > 3 ? parts[3] : "";
        enterFamily(name);
        if (parts[1].equals("TYPE")) {
            if (types.containsKey(name)) {
                fail("second TYPE for " + name);
            }
            if (samples.keySet().stream().anyMatch(series -> familyOf(series).equals(name))) {
                fail("TYPE for " + name + " after its samples");
            }
            if (!TYPES.contains(rest)) {
                fail("unknown type " + rest);
            }
            types.put(name, rest);
        } else {
            if (help.containsKey(name)) {
                fail("second HELP for " + name);
            }
            help.put(name, unescapeHelp(rest));
        }
    }

    private void sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
            i++;
        }
        String name = line.substring(0, i);
        requireName(name);
        TreeMap<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i = labels(line, i + 1, labels);
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
            fail("a sample is name, labels, value and an optional timestamp");
        }
        double value = parseValue(rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                fail("bad timestamp " + rest[1]);
            }
        }
        enterFamily(familyOf(name));
        StringBuilder series = new StringBuilder(name);
        if (!labels.isEmpty()) {
            series.append('{');
            labels.forEach((k, v) -> series.append(k).append("=\"").append(v).append("\","));
            series.setLength(series.length() - 1);
            series.append('}');
        }
        if (samples.put(series.toString(), value) != null) {
            fail("series " + series + " twice");
        }
    }

    /** Reads {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
    private int labels(String line, int i, Map<String, String> labels) {
        while (true) {
            if (i >= line.length()) {
                fail("labels not closed");
            }
            if (line.charAt(i) == '}') {
                return i + 1;
            }
            int equals = line.indexOf('=', i);
            if (equals < 0) {
                fail("label without '='");
            }
            String label = line.substring(i, equals).strip();
            if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) {
                fail("bad label name '" + label + "'");
            }
            i = equals + 1;
            if (i >= line.length() || line.charAt(i) != '"') {
                fail("label value not quoted");
            }
            StringBuilder value = new StringBuilder();
            i++;
            while (true) {
                if (i >= line.length()) {
                    fail("label value not closed");
                }
                char c = line.charAt(i++);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    char escaped = i < line.length() ? line.charAt(i++) : 0;
                    switch (escaped) {
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        case 'n' -> value.append('\n');
                        default -> fail("bad escape \\" + escaped + " in a label value");
                    }
                } else {
                    value.append(c);
                }
            }
            if (labels.put(label, value.toString()) != null) {
                fail("label " + label + " twice");
            }
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
    }

    /** A family's samples come together: once another family began, it may not return. */
    private void enterFamily(String family) {
        if (family.equals(currentFamily)) {
            return;
        }
        if (familiesDone.contains(family)) {
            fail("family " + family + " appears in two places");
        }
        if (currentFamily != null) {
            familiesDone.add(currentFamily);
        }
        currentFamily = family;
    }

    /** The family a sample belongs to: histograms and summaries add suffixes to their family's name. */
    private String familyOf(String sampleName) {
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (sampleName.endsWith(suffix)) {
                String base = sampleName.substring(0, sampleName.length() - suffix.length());
                String type = types.get(base);
                if ("histogram".equals(type) || "summary".equals(type)) {
                    return base;
                }
            }
        }
        return sampleName.replaceAll("\\{.*", "");
    }

    private double parseValue(String text) {
        switch (text) {
            case "NaN" -> {
                return Double.NaN;
            }
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                if (!text.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
                    fail("bad value " + text);
                }
                return Double.parseDouble(text);
            }
        }
    }

    private static String unescapeHelp(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == '\\' ? '\\' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void requireName(String name) {
        if (!METRIC_NAME.matcher(name).matches()) {
            fail("bad metric name '" + name + "'");
        }
    }

    private void fail(String why) {
        throw new IllegalArgumentException("line " + lineNumber + ": " + why);
    }
}
