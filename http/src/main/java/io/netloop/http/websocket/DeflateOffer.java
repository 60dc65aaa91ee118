package io.netloop.http.websocket;

import java.util.List;
import java.util.Locale;

/**
 * The server's side of negotiating permessage-deflate (RFC 7692 §5, §7.1): picks the first
 * offer in {@code Sec-WebSocket-Extensions} it can honour and says what to answer.
 *
 * <p>java.util.zip compresses with a 32 KiB window only, so an offer asking the server to
 * use a smaller one ({@code server_max_window_bits} below 15) is declined and the next offer
 * tried; {@code client_max_window_bits} needs nothing from us (the inflater reads any window
 * up to 15 bits), so it is not echoed. An offer with an unknown or repeated parameter, or a
 * malformed value, is declined as §7.1 requires.
 *
 * <p>Threading: immutable.
 *
 * @param serverNoContextTakeover the server resets its compressor after each message
 * @param clientNoContextTakeover the client promised to reset its compressor after each message
 */
record DeflateOffer(boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
    static final String NAME = "permessage-deflate";

    /** The accepted offer, or null when none of the {@code Sec-WebSocket-Extensions} values can be honoured. */
    static DeflateOffer negotiate(List<String> extensionFields) {
        for (String field : extensionFields) {
            for (String extension : splitOutsideQuotes(field, ',')) {
                DeflateOffer accepted = accept(extension);
                if (accepted != null) return accepted;
            }
        }
        return null;
    }

    /** The {@code Sec-WebSocket-Extensions} value of the 101 response. */
    String responseValue() {
        return NAME
                + (serverNoContextTakeover ? "; server_no_context_takeover" : "")
                + (clientNoContextTakeover ? "; client_no_context_takeover" : "");
    }

    private static DeflateOffer accept(String extension) {
        List<String> parts = splitOutsideQuotes(extension, ';');
        if (!parts.getFirst().trim().equalsIgnoreCase(NAME)) return null;
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        boolean serverBits = false;
        boolean clientBits = false;
        for (String p : parts.subList(1, parts.size())) {
            int eq = p.indexOf('=');
            String name = (eq < 0 ? p : p.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(p.substring(eq + 1).trim());
            switch (name) {
                case "server_no_context_takeover" -> {
                    if (serverNoContext || value != null) return null;
                    serverNoContext = true;
                }
                case "client_no_context_takeover" -> {
                    if (clientNoContext || value != null) return null;
                    clientNoContext = true;
                }
                case "server_max_window_bits" -> {
                    if (serverBits || windowBits(value) != 15) return null; // we cannot compress with a smaller window
                    serverBits = true;
                }
                case "client_max_window_bits" -> {
                    if (clientBits || (value != null && windowBits(value) < 0)) return null;
                    clientBits = true;
                }
                default -> {
                    return null;
                }
            }
        }
        return new DeflateOffer(serverNoContext, clientNoContext);
    }

    /** 8-15, or -1 for anything else (RFC 7692 §7.1.2: 1*DIGIT without leading zeros). */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') return -1;
        for (int i = 0; i < value.length(); i++) if (value.charAt(i) < '0' || value.charAt(i) > '9') return -1;
        int bits = Integer.parseInt(value);
        return bits >= 8 && bits <= 15 ? bits : -1;
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> out = new java.util.ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            else if (c == separator && !quoted) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }
}
