package io.netloop.chat;

import io.netloop.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Cuts a TCP byte stream into lines (ending in LF or CRLF) of at most
 * {@link ChatLimits#maxLineBytes} bytes of valid UTF-8. It never looks further than one
 * line's length ahead, so a peer that sends no newline costs a bounded scan and is caught as
 * soon as the bound is passed.
 *
 * <p>Threading: one per connection, on its loop.
 */
final class LineReader {
    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    LineReader(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * Takes the next complete line out of {@code in}.
     *
     * @return the line without its terminator, or null while no line is complete
     * @throws Rejected for a line that is too long (fatal: the stream cannot be followed past
     *     it) or not UTF-8 (the line is consumed and dropped)
     */
    String next(Buffer in) throws Rejected {
        byte[] a = in.array();
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), maxLineBytes + 2); // the line, CR and LF
        int lf = -1;
        for (int i = 0; i < scan; i++) {
            if (a[start + i] == '\n') {
                lf = i;
                break;
            }
        }
        if (lf < 0) {
            if (in.readableBytes() > maxLineBytes + 1) throw tooLong();
            return null;
        }
        int end = lf > 0 && a[start + lf - 1] == '\r' ? lf - 1 : lf;
        if (end > maxLineBytes) throw tooLong();
        String line;
        try {
            line = utf8.decode(ByteBuffer.wrap(a, start, end)).toString();
        } catch (CharacterCodingException e) {
            in.skip(lf + 1);
            throw new Rejected("that line was not valid UTF-8 and was dropped; set your terminal to UTF-8", false);
        }
        in.skip(lf + 1);
        return line;
    }

    private Rejected tooLong() {
        return new Rejected("a line has at most " + maxLineBytes + " bytes, and yours was longer", true);
    }

    /** Input that cannot be taken as a line; the message says why, to the peer. */
    static final class Rejected extends Exception {
        private final boolean fatal;

        Rejected(String message, boolean fatal) {
            super(message, null, false, false); // an expected outcome: no stack trace to fill in
            this.fatal = fatal;
        }

        /** True when the connection cannot go on after it. */
        boolean fatal() {
            return fatal;
        }
    }
}
