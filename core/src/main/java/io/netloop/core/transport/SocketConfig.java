package io.netloop.core.transport;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An immutable set of {@link NetOption} values to apply to a socket.
 *
 * <p>Threading: immutable; {@link #with} returns a new config.
 */
public final class SocketConfig {
    public static final SocketConfig EMPTY = new SocketConfig(Map.of());

    private final Map<NetOption<?>, Object> values;

    private SocketConfig(Map<NetOption<?>, Object> values) {
        this.values = values;
    }

    public <T> SocketConfig with(NetOption<T> option, T value) {
        Map<NetOption<?>, Object> copy = new LinkedHashMap<>(values);
        copy.put(option, option.type().cast(value));
        return new SocketConfig(Collections.unmodifiableMap(copy));
    }

    /** As {@link #with}, for a value whose type was checked when it was first set. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public SocketConfig withValue(NetOption<?> option, Object value) {
        return with((NetOption) option, value);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    @SuppressWarnings("unchecked")
    public <T> T get(NetOption<T> option) {
        return (T) values.get(option);
    }

    public Map<NetOption<?>, Object> values() {
        return values;
    }

    /** Sets every option on {@code socket}. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void applyTo(OptionTarget socket) throws IOException {
        for (Map.Entry<NetOption<?>, Object> e : values.entrySet()) {
            socket.set((NetOption) e.getKey(), e.getValue());
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /** Something that takes socket options. */
    public interface OptionTarget {
        <T> void set(NetOption<T> option, T value) throws IOException;

        <T> T get(NetOption<T> option) throws IOException;
    }
}
