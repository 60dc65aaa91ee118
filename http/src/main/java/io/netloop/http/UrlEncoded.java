package io.netloop.http;

import io.netloop.http.codec.HttpChars;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes {@code application/x-www-form-urlencoded} text: query strings and form bodies
 * (WHATWG URL §5.1): pairs split on "&", "+" is a space, percent-escapes are UTF-8 bytes.
 * Leniently, like browsers: a "%" not followed by two hex digits stays as it is, and bytes
 * that are not UTF-8 become U+FFFD, so no input makes a request fail here.
 *
 * <p>Input strings hold bytes as ISO-8859-1 characters (a query as received, a body decoded
 * as ISO-8859-1), so that percent-escapes and raw UTF-8 bytes decode alike.
 *
 * <p>Threading: stateless; any thread.
 */
final class UrlEncoded {
    private UrlEncoded() {}

    /** name → values in order; bounded by the caller's input (the target or body limit). */
    static Map<String, List<String>> parse(String s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) return out;
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return out;
    }

    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%'
                    && i + 2 < s.length()
                    && HttpChars.hexValue(s.charAt(i + 1)) >= 0
                    && HttpChars.hexValue(s.charAt(i + 2)) >= 0) {
                bytes.write(HttpChars.hexValue(s.charAt(i + 1)) << 4 | HttpChars.hexValue(s.charAt(i + 2)));
                i += 2;
            } else if (c < 0x100) {
                bytes.write(c); // the caller's string holds bytes as ISO-8859-1 characters
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
