package io.netloop.apps.peer;

import io.netloop.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits bytes into lines of UTF-8 text and says why a line is refused: longer than the
 * limit, not UTF-8, or holding a control character other than tab (an escape sequence would
 * reach someone's terminal). A line ends with LF; a CR before it is dropped.
 *
 * <p>A line that grows past the limit is refused as soon as the limit is passed, without
 * waiting for its end, so a peer that never sends LF costs at most the limit in memory; the
 * rest of that line is then skipped up to its LF, and the lines after it are read as usual.
 *
 * <p>Threading: not thread-safe; one codec per input, used by that input's loop thread.
 */
public final class LineCodec {
    /** The protocol's limit: bytes in a line, without its line end. */
    public static final int MAX_LINE_BYTES = 4096;

    /** Receives what {@link #next} finds. */
    public interface Lines {
        void line(String line);

        /** @param reason e.g. "line longer than 4096 bytes", ready to follow "error: " */
        void invalid(String reason);
    }

    private final int maxLineBytes;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private boolean skipping;

    public LineCodec() {
        this(MAX_LINE_BYTES);
    }

    public LineCodec(int maxLineBytes) {
        if (maxLineBytes <= 0) throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * Consumes the next complete line of {@code in} (or the start of an over-long one) and
     * hands it to {@code out}.
     *
     * @return false when {@code in} holds no complete line (a partial one stays in it)
     */
    public boolean next(Buffer in, Lines out) {
        for (; ; ) {
            int lf = in.indexOf((byte) '\n');
            if (skipping) {
                if (lf < 0) {
                    in.clear();
                    return false;
                }
                in.skip(lf + 1);
                skipping = false;
                continue;
            }
            if (lf < 0) {
                // One more byte than the limit may still be the CR of a CRLF.
                if (in.readableBytes() <= maxLineBytes + 1) return false;
                in.clear();
                skipping = true;
                out.invalid(tooLong());
                return true;
            }
            int length = lf > 0 && in.peek(lf - 1) == '\r' ? lf - 1 : lf;
            if (length > maxLineBytes) {
                in.skip(lf + 1);
                out.invalid(tooLong());
                return true;
            }
            String line;
            try {
                line = utf8.decode(ByteBuffer.wrap(in.array(), in.readerIndex(), length))
                        .toString();
            } catch (CharacterCodingException e) {
                in.skip(lf + 1);
                out.invalid("invalid UTF-8");
                return true;
            }
            in.skip(lf + 1);
            String problem = problem(line);
            if (problem != null) {
                out.invalid(problem);
            } else {
                out.line(line);
            }
            return true;
        }
    }

    /** The remaining bytes as a last line, at the end of the input (no LF follows). */
    public void finish(Buffer in, Lines out) {
        if (skipping || in.isEmpty()) {
            in.clear();
            skipping = false;
            return;
        }
        in.append(new byte[] {'\n'});
        next(in, out);
    }

    private String tooLong() {
        return "line longer than " + maxLineBytes + " bytes";
    }

    /**
     * Why {@code text} cannot be a line (a control character other than tab), or null.
     * C1 controls (U+0080 to U+009F) count too: some terminals take U+009B as an escape.
     */
    public static String problem(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) return String.format("control character U+%04X", (int) c);
        }
        return null;
    }

    /** {@code line} plus LF, if it is a valid line within {@code maxLineBytes}; else why not. */
    public static byte[] encode(String line, int maxLineBytes) {
        String problem = problem(line);
        if (problem != null) throw new IllegalArgumentException(problem);
        if (!StandardCharsets.UTF_8.newEncoder().canEncode(line)) {
            throw new IllegalArgumentException("not valid text (a lone surrogate)");
        }
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxLineBytes) {
            throw new IllegalArgumentException(
                    bytes.length + " bytes, over the limit of " + maxLineBytes + " per line");
        }
        byte[] framed = Arrays.copyOf(bytes, bytes.length + 1);
        framed[bytes.length] = '\n';
        return framed;
    }

    static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }
}
