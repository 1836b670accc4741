package io.iocp4j;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One connection's typed attributes. Made at the first write: most connections never carry any. Safe from any
 * thread.
 */
public final class Attributes {
    private volatile ConcurrentHashMap<AttributeKey<?>, Object> values;

    public <T> T get(AttributeKey<T> key) {
        ConcurrentHashMap<AttributeKey<?>, Object> current = values;
        return current == null ? null : key.cast(current.get(key));
    }

    /** Stores {@code value} under {@code key} (null removes it); returns what was there. */
    public <T> T set(AttributeKey<T> key, T value) {
        if (value == null) {
            ConcurrentHashMap<AttributeKey<?>, Object> current = values;
            return current == null ? null : key.cast(current.remove(key));
        }
        return key.cast(map().put(key, key.check(value)));
    }

    /** The value under {@code key}, made by {@code factory} and stored if there was none, once. */
    public <T> T computeIfAbsent(AttributeKey<T> key, Function<AttributeKey<T>, T> factory) {
        return key.cast(map().computeIfAbsent(key, k -> key.check(factory.apply(key))));
    }

    private ConcurrentHashMap<AttributeKey<?>, Object> map() {
        ConcurrentHashMap<AttributeKey<?>, Object> current = values;
        if (current == null) {
            synchronized (this) {
                current = values;
                if (current == null) {
                    current = new ConcurrentHashMap<>(4);
                    values = current;
                }
            }
        }
        return current;
    }
}
