package io.netloop.http.multipart;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A part's {@code Content-Disposition: form-data; name="field"; filename="a.txt"} read into
 * its type and parameters (RFC 6266 syntax as RFC 7578 §4.2 uses it): values are tokens or
 * quoted strings, a backslash in a quoted string quotes the next character.
 *
 * <p>Threading: static, any thread.
 */
final class ContentDisposition {
    private ContentDisposition() {}

    static String type(String value) {
        int semi = value.indexOf(';');
        return (semi < 0 ? value : value.substring(0, semi)).strip();
    }

    /** Parameter names in lower case; the first of a repeated name wins. */
    static Map<String, String> parameters(String value) throws MultipartException {
        Map<String, String> params = new LinkedHashMap<>();
        int i = value.indexOf(';');
        while (i >= 0 && i < value.length()) {
            i++; // past ';'
            while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) i++;
            if (i == value.length()) break;
            int eq = value.indexOf('=', i);
            if (eq < 0) throw MultipartException.malformed("a Content-Disposition parameter has no value: " + value);
            String name = value.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            StringBuilder v = new StringBuilder();
            if (i < value.length() && value.charAt(i) == '"') {
                i++;
                for (; ; i++) {
                    if (i >= value.length())
                        throw MultipartException.malformed(
                                "an unterminated quoted string in Content-Disposition: " + value);
                    char c = value.charAt(i);
                    if (c == '"') break;
                    if (c == '\\' && i + 1 < value.length()) c = value.charAt(++i);
                    v.append(c);
                }
                i++; // past the closing quote
                while (i < value.length() && value.charAt(i) != ';') {
                    if (value.charAt(i) != ' ' && value.charAt(i) != '\t')
                        throw MultipartException.malformed(
                                "text after a quoted value in Content-Disposition: " + value);
                    i++;
                }
            } else {
                int semi = value.indexOf(';', i);
                v.append(value, i, semi < 0 ? value.length() : semi);
                i = semi < 0 ? value.length() : semi;
                String token = v.toString().strip();
                v.setLength(0);
                v.append(token);
            }
            params.putIfAbsent(name, v.toString());
            if (i < value.length() && value.charAt(i) != ';') break;
        }
        return params;
    }
}
