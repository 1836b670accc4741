package io.iocp4j.ops;

/**
 * Writes JSON by hand, commas and escapes included: objects and arrays nest, a name comes before each member's
 * value. Misuse (a value where a name belongs) is not checked; the callers are a few fixed shapes.
 */
final class JsonWriter {
    private final StringBuilder json = new StringBuilder(1024);
    /** Whether the container at each depth already has an element, so the next one needs a comma. */
    private boolean[] hasElement = new boolean[16];
    private int depth;
    /** A name was just written: the value that follows takes no comma. */
    private boolean afterName;

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    JsonWriter name(String name) {
        separate();
        string(name);
        json.append(':');
        afterName = true;
        return this;
    }

    JsonWriter value(String value) {
        separate();
        if (value == null) {
            json.append("null");
        } else {
            string(value);
        }
        return this;
    }

    JsonWriter value(long value) {
        separate();
        json.append(value);
        return this;
    }

    JsonWriter value(double value) {
        separate();
        // JSON has no NaN or infinity.
        json.append(Double.isFinite(value) ? Double.toString(value) : "null");
        return this;
    }

    JsonWriter value(boolean value) {
        separate();
        json.append(value);
        return this;
    }

    JsonWriter member(String name, String value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, long value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, double value) {
        return name(name).value(value);
    }

    JsonWriter member(String name, boolean value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return json.toString();
    }

    private JsonWriter open(char bracket) {
        separate();
        json.append(bracket);
        if (++depth == hasElement.length) {
            hasElement = java.util.Arrays.copyOf(hasElement, depth * 2);
        }
        hasElement[depth] = false;
        return this;
    }

    private JsonWriter close(char bracket) {
        json.append(bracket);
        depth--;
        return this;
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (hasElement[depth]) {
            json.append(',');
        }
        hasElement[depth] = true;
    }

    private void string(String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                // '<' escaped as well, so that no string can close a script element if the JSON is ever inlined.
                case '<' -> json.append("\\u003c");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
