package io.iocp4j.bench;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's options: {@code --name value} pairs, and flags ({@code --quick}: a name not followed by a value).
 * Each must be read, so a misspelt one is refused.
 */
public final class Arguments {
    private static final String FLAG = "\u0000flag";

    private final Map<String, String> values = new HashMap<>();
    private final Set<String> used = new HashSet<>();

    public Arguments(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || name.length() == 2) {
                throw new IllegalArgumentException("expected an option --name, found " + name);
            }
            boolean hasValue = i + 1 < args.size() && !args.get(i + 1).startsWith("--");
            String value = hasValue ? args.get(++i) : FLAG;
            if (values.put(name.substring(2), value) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
        }
    }

    public String text(String name, String fallback) {
        used.add(name);
        String value = values.getOrDefault(name, fallback);
        if (FLAG.equals(value)) {
            throw new IllegalArgumentException("--" + name + " needs a value");
        }
        return value;
    }

    /** True when {@code --name} was given without a value. */
    public boolean flag(String name) {
        used.add(name);
        String value = values.get(name);
        if (value != null && !FLAG.equals(value)) {
            throw new IllegalArgumentException("--" + name + " takes no value, found " + value);
        }
        return value != null;
    }

    public int integer(String name, int fallback) {
        String value = text(name, Integer.toString(fallback));
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, not " + value);
        }
    }

    public List<Integer> intList(String name, String fallback) {
        String value = text(name, fallback);
        try {
            return Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be numbers separated by commas, not " + value);
        }
    }

    /** Comma-separated words, blanks dropped; refuses an empty list. */
    public List<String> textList(String name, String fallback) {
        List<String> list = Arrays.stream(text(name, fallback).split(",")).map(String::trim)
                .filter(word -> !word.isEmpty()).toList();
        if (list.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " needs at least one name");
        }
        return list;
    }

    public void requireAllUsed() {
        Set<String> unknown = new HashSet<>(values.keySet());
        unknown.removeAll(used);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options: " + unknown.stream().sorted().map(n -> "--" + n)
                    .toList());
        }
    }
}
