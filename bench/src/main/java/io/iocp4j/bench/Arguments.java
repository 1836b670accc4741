package io.iocp4j.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A benchmark's options, given as {@code --name value} pairs; each must be read, so a misspelt one is refused. */
final class Arguments {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    Arguments(List<String> args) {
        if (args.size() % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("expected an option --name, found " + name);
            }
            values.put(name.substring(2), args.get(i + 1));
        }
    }

    String text(String name, String fallback) {
        used.add(name);
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = text(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + value);
        }
    }

    List<Integer> intList(String name, String fallback) {
        String value = text(name, fallback);
        try {
            return Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be numbers separated by commas, not " + value);
        }
    }

    void requireAllUsed() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + unknown);
        }
    }
}
