package io.iocp4j.bench.run;

import java.util.HashMap;
import java.util.Map;

/** One server's figures for one workload in one repetition, as the generator and the server reported them. */
public record Measurement(String server, String workload, int repetition, Map<String, Double> values) {
    public Measurement {
        values = Map.copyOf(values);
    }

    public double value(String key) {
        Double value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException(server + " " + workload + " has no figure " + key);
        }
        return value;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** The numeric fields of a {@code RESULT key=value ...} line; words that are not numbers are left out. */
    public static Map<String, Double> parseResult(String line) {
        if (!line.startsWith("RESULT")) {
            throw new IllegalArgumentException("not a RESULT line: " + line);
        }
        Map<String, Double> values = new HashMap<>();
        for (String field : line.substring("RESULT".length()).trim().split("\\s+")) {
            int equals = field.indexOf('=');
            if (equals <= 0) {
                continue;
            }
            try {
                values.put(field.substring(0, equals), Double.parseDouble(field.substring(equals + 1)));
            } catch (NumberFormatException notANumber) {
                // mode=PING_PONG and the like: the workload already says so.
            }
        }
        return values;
    }
}
