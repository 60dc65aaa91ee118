package io.netloop.chat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the chat speaks (RFC 8259): flat objects whose values are strings or arrays
 * of strings. Writing escapes every character that could end a string or a script block
 * ({@code <}, {@code >}, {@code &}, U+2028, U+2029 as {@code \}{@code uXXXX}), so a message
 * stays text wherever the JSON lands. Reading accepts one object of string members, which is
 * all a browser sends.
 *
 * <p>Threading: stateless.
 */
final class Json {
    private Json() {}

    /** An object of {@code name, value} pairs; a value is a String or a List of Strings. */
    static String object(Object... namesAndValues) {
        StringBuilder sb = new StringBuilder(64);
        sb.append('{');
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) sb.append(',');
            quote(sb, (String) namesAndValues[i]);
            sb.append(':');
            Object v = namesAndValues[i + 1];
            if (v instanceof List<?> list) {
                sb.append('[');
                for (int j = 0; j < list.size(); j++) {
                    if (j > 0) sb.append(',');
                    quote(sb, (String) list.get(j));
                }
                sb.append(']');
            } else {
                quote(sb, (String) v);
            }
        }
        return sb.append('}').toString();
    }

    static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20
                            || c == '<'
                            || c == '>'
                            || c == '&'
                            || c == 0x2028
                            || c == 0x2029
                            || (Character.isSurrogate(c) && !isPaired(s, i))) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    private static boolean isPaired(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /**
     * Reads one object whose members are all strings.
     *
     * @throws IllegalArgumentException saying what is wrong and where
     */
    static Map<String, String> parseFlatObject(String text) {
        Reader r = new Reader(text);
        Map<String, String> out = new LinkedHashMap<>();
        r.skipSpace();
        r.expect('{');
        r.skipSpace();
        if (r.peek() == '}') {
            r.next();
        } else {
            for (; ; ) {
                r.skipSpace();
                String name = r.string();
                r.skipSpace();
                r.expect(':');
                r.skipSpace();
                if (r.peek() != '"') throw r.error("only string values are understood");
                if (out.put(name, r.string()) != null) throw r.error("the member \"" + name + "\" appears twice");
                r.skipSpace();
                if (r.peek() == ',') {
                    r.next();
                    continue;
                }
                r.expect('}');
                break;
            }
        }
        r.skipSpace();
        if (!r.atEnd()) throw r.error("text after the object");
        return out;
    }

    /** A cursor over the text being read. */
    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            if (atEnd()) throw error("unexpected end");
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                pos--;
                throw error("'" + c + "' expected");
            }
        }

        void skipSpace() {
            while (!atEnd()
                    && (s.charAt(pos) == ' '
                            || s.charAt(pos) == '\t'
                            || s.charAt(pos) == '\n'
                            || s.charAt(pos) == '\r')) pos++;
        }

        String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            for (; ; ) {
                char c = next();
                if (c == '"') return sb.toString();
                if (c < 0x20) throw error("a control character inside a string must be escaped");
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = next();
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        if (pos + 4 > s.length()) throw error("\\u needs four hex digits");
                        int v = 0;
                        for (int i = 0; i < 4; i++) {
                            int d = Character.digit(s.charAt(pos++), 16);
                            if (d < 0) throw error("\\u needs four hex digits");
                            v = v << 4 | d;
                        }
                        sb.append((char) v);
                    }
                    default -> throw error("unknown escape \\" + e);
                }
            }
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("bad JSON at character " + (pos + 1) + ": " + what);
        }
    }
}
