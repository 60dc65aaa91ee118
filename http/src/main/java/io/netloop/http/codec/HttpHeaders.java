package io.netloop.http.codec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The fields of a header or trailer section, in the order received: a multimap whose names
 * compare case-insensitively (RFC 9110 §5.1). A name may occur on several lines; {@link #getAll}
 * returns every value and {@link #containsToken} reads comma-separated lists across all of them
 * (RFC 9110 §5.3 makes separate lines and one comma-joined line equivalent).
 *
 * <p>Threading: filled by the parser on the loop thread, read-only afterwards; not thread-safe.
 */
public final class HttpHeaders {
    private final List<HeaderField> fields = new ArrayList<>();

    HttpHeaders() {}

    void add(String name, String value) {
        fields.add(new HeaderField(name, value));
    }

    public int size() {
        return fields.size();
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** Every field, in the order received. */
    public List<HeaderField> fields() {
        return Collections.unmodifiableList(fields);
    }

    public boolean contains(String name) {
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) return true;
        }
        return false;
    }

    /** The value of the first field called {@code name}, or {@code null} if there is none. */
    public String get(String name) {
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) return f.value();
        }
        return null;
    }

    /** The values of every field called {@code name}, in order; empty if there is none. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (HeaderField f : fields) {
            if (f.name().equalsIgnoreCase(name)) values.add(f.value());
        }
        return values;
    }

    /**
     * Whether a comma-separated list in the fields called {@code name} holds {@code token},
     * ignoring case and optional whitespace, as for {@code Connection: keep-alive, Upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (HeaderField f : fields) {
            if (!f.name().equalsIgnoreCase(name)) continue;
            for (String element : f.value().split(",", -1)) {
                if (HttpChars.trimOws(element).equalsIgnoreCase(token)) return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return fields.toString();
    }
}
