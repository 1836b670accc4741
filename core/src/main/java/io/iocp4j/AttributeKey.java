package io.iocp4j;

import java.util.Objects;

/**
 * A typed slot of per-connection state: {@link Connection#attr(AttributeKey)} reads it, and
 * {@link Connection#setAttr} writes it, without casts. Keys compare by identity: make each once, as a constant.
 *
 * <pre>{@code
 * static final AttributeKey<String> NICK = AttributeKey.of("nick", String.class);
 * connection.setAttr(NICK, "ada");
 * String nick = connection.attr(NICK);
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    /** A new key; {@code name} is for messages and debugging only, two keys of one name are still two. */
    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    /** The value cast to this key's type; a value of another type cannot have been stored under it. */
    T cast(Object value) {
        return type.cast(value);
    }

    /** Checks a value before it is stored, so a raw-typed caller cannot store what a read would fail on. */
    Object check(Object value) {
        return value == null ? null : type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
