package io.netloop.http.websocket;

/**
 * Checks UTF-8 (RFC 3629) incrementally, so that a text message split across frames, or a
 * code point split across reads, is judged as it arrives and refused at its first bad byte
 * (RFC 6455 §8.1: fail fast). Refuses overlong forms, surrogates (U+D800-DFFF) and code
 * points above U+10FFFF by narrowing the range of the byte after a lead byte.
 *
 * <p>Threading: not thread-safe; one per message stream.
 */
final class Utf8Validator {
    /** Continuation bytes still expected for the current code point. */
    private int need;
    /** The range the next continuation byte must fall in. */
    private int lo = 0x80;

    private int hi = 0xBF;

    void reset() {
        need = 0;
        lo = 0x80;
        hi = 0xBF;
    }

    /** True when no code point is left unfinished. */
    boolean isComplete() {
        return need == 0;
    }

    /** Checks the next bytes; false at the first byte that cannot continue valid UTF-8. */
    boolean feed(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            int u = b[i++] & 0xFF;
            if (need == 0) {
                if (u < 0x80) continue;
                if (u >= 0xC2 && u <= 0xDF) {
                    need = 1;
                } else if (u >= 0xE0 && u <= 0xEF) {
                    need = 2;
                    if (u == 0xE0) lo = 0xA0; // overlong
                    else if (u == 0xED) hi = 0x9F; // surrogates
                } else if (u >= 0xF0 && u <= 0xF4) {
                    need = 3;
                    if (u == 0xF0) lo = 0x90; // overlong
                    else if (u == 0xF4) hi = 0x8F; // above U+10FFFF
                } else {
                    return false; // 0x80-0xC1 (continuation or overlong lead), 0xF5-0xFF
                }
            } else {
                if (u < lo || u > hi) return false;
                need--;
                lo = 0x80;
                hi = 0xBF;
            }
        }
        return true;
    }

    /** Whether all of {@code b[off, off+len)} is complete, valid UTF-8. */
    static boolean isValid(byte[] b, int off, int len) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(b, off, len) && v.isComplete();
    }
}
