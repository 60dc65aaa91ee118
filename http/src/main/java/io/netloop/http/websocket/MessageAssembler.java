package io.netloop.http.websocket;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns the frames of a {@link FrameDecoder} into messages: joins fragments, inflates
 * compressed messages (permessage-deflate, RFC 7692 §7.2.2), checks text as UTF-8 while it
 * arrives, and reads control frames, handing each whole message to a {@link MessageSink}.
 *
 * <p>Refuses, with the close code: text that is not UTF-8, or a close reason that is not
 * (1007, at the first bad byte); a message over {@code maxMessageSize} once inflated (1009,
 * as soon as inflating passes the limit, so a deflate bomb costs no more than the limit); a
 * compressed stream that does not inflate (1007); a close frame with a 1-byte payload or a
 * code that may not be sent (1002: 1005, 1006, 1015, anything outside 1000-1014 and 3000-4999).
 *
 * <p>Owns its Inflater (native memory): {@link #close} frees it. Threading: not thread-safe;
 * one per connection, on its loop thread.
 */
public final class MessageAssembler implements FrameDecoder.FrameSink, AutoCloseable {
    /** What arrives, message by message. */
    public interface MessageSink {
        void onText(String text) throws WebSocketException;

        void onBinary(byte[] data) throws WebSocketException;

        /** A ping; {@code payload} (at most 125 bytes) is the sink's to keep and to send back in a pong. */
        void onPing(byte[] payload) throws WebSocketException;

        void onPong(byte[] payload) throws WebSocketException;

        /** A close frame: its code (1005 when it carried none) and reason, both checked. */
        void onClose(int code, String reason) throws WebSocketException;
    }

    /** The flush marker a sender removes from each compressed message (RFC 7692 §7.2.1). */
    private static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    /** A message buffer kept between messages holds at most this much. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private static final int INFLATE_STEP = 16 * 1024;

    private final int maxMessageSize;
    private final MessageSink sink;
    private final Inflater inflater;
    private final boolean resetInflaterPerMessage;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final Buffer message = new Buffer();
    private final byte[] control = new byte[125];
    private int controlLength;

    private int frameOpcode;
    private boolean frameFin;
    private int messageOpcode;
    private boolean compressed;
    /** The compressed stream of the current message ended early (BFINAL): ignore the rest. */
    private boolean streamEnded;

    /**
     * @param inflate whether permessage-deflate was negotiated
     * @param peerNoContextTakeover the peer resets its compressor after each message
     *     ({@code client_no_context_takeover}), so the inflater may too
     */
    public MessageAssembler(int maxMessageSize, boolean inflate, boolean peerNoContextTakeover, MessageSink sink) {
        this.maxMessageSize = maxMessageSize;
        this.sink = sink;
        this.inflater = inflate ? new Inflater(true) : null;
        this.resetInflaterPerMessage = peerNoContextTakeover;
    }

    @Override
    public void frameStart(int opcode, boolean fin, boolean rsv1, int length) throws WebSocketException {
        frameOpcode = opcode;
        frameFin = fin;
        if (Opcode.isControl(opcode)) {
            controlLength = 0;
            return;
        }
        if (opcode != Opcode.CONTINUATION) {
            messageOpcode = opcode;
            compressed = rsv1;
            streamEnded = false;
            utf8.reset();
            message.clear();
        }
    }

    @Override
    public void payload(byte[] array, int offset, int length) throws WebSocketException {
        if (Opcode.isControl(frameOpcode)) {
            System.arraycopy(array, offset, control, controlLength, length); // the decoder bounds it at 125
            controlLength += length;
        } else if (compressed) {
            inflate(array, offset, length);
        } else {
            int from = message.writerIndex();
            message.append(array, offset, length);
            checkText(from);
        }
    }

    @Override
    public void frameEnd() throws WebSocketException {
        if (Opcode.isControl(frameOpcode)) {
            endControl();
            return;
        }
        if (!frameFin) return;
        if (compressed) {
            inflate(DEFLATE_TAIL, 0, DEFLATE_TAIL.length);
            if (resetInflaterPerMessage) inflater.reset();
        }
        byte[] a = message.array();
        int off = message.readerIndex();
        int len = message.readableBytes();
        if (messageOpcode == Opcode.TEXT) {
            if (!utf8.isComplete())
                throw new WebSocketException(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            String text = new String(a, off, len, StandardCharsets.UTF_8);
            release();
            sink.onText(text);
        } else {
            byte[] data = java.util.Arrays.copyOfRange(a, off, off + len);
            release();
            sink.onBinary(data);
        }
    }

    private void release() {
        message.clear();
        if (message.capacity() > RETAINED_CAPACITY) message.shrink(RETAINED_CAPACITY);
    }

    private void checkText(int from) throws WebSocketException {
        if (messageOpcode == Opcode.TEXT && !utf8.feed(message.array(), from, message.writerIndex() - from)) {
            throw new WebSocketException(CloseCode.INVALID_PAYLOAD, "text message is not valid UTF-8");
        }
    }

    /** Inflates into the message, at most one byte past the limit, which then refuses it. */
    private void inflate(byte[] in, int off, int len) throws WebSocketException {
        if (streamEnded) return;
        inflater.setInput(in, off, len);
        try {
            for (; ; ) {
                int room = maxMessageSize + 1 - message.readableBytes();
                if (room <= 0)
                    throw new WebSocketException(
                            CloseCode.MESSAGE_TOO_BIG,
                            "message over the limit of " + maxMessageSize + " bytes once inflated");
                message.ensureWritable(Math.min(INFLATE_STEP, room));
                int n = inflater.inflate(
                        message.array(), message.writerIndex(), Math.min(message.writableBytes(), room));
                message.hasWritten(n);
                // Checked as it is inflated, before more is: the first fault in the inflated
                // text decides the close code, however the compressed bytes were cut.
                checkText(message.writerIndex() - n);
                if (inflater.finished()) {
                    // The sender ended its deflate stream (BFINAL) in this message: nothing after
                    // that belongs to it, and the next message begins a new stream.
                    inflater.reset();
                    streamEnded = true;
                    break;
                }
                if (n == 0) break; // needs input: the rest of the message is still to come
            }
        } catch (DataFormatException e) {
            throw new WebSocketException(
                    CloseCode.INVALID_PAYLOAD, "compressed message does not inflate: " + e.getMessage());
        }
        if (message.readableBytes() > maxMessageSize) {
            throw new WebSocketException(
                    CloseCode.MESSAGE_TOO_BIG, "message over the limit of " + maxMessageSize + " bytes once inflated");
        }
    }

    private void endControl() throws WebSocketException {
        switch (frameOpcode) {
            case Opcode.PING -> sink.onPing(java.util.Arrays.copyOf(control, controlLength));
            case Opcode.PONG -> sink.onPong(java.util.Arrays.copyOf(control, controlLength));
            case Opcode.CLOSE -> {
                if (controlLength == 0) {
                    sink.onClose(CloseCode.NO_STATUS, "");
                    return;
                }
                if (controlLength == 1)
                    throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload");
                int code = ((control[0] & 0xFF) << 8) | (control[1] & 0xFF);
                if (!CloseCode.isValidOnWire(code))
                    throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "close code " + code + " may not be sent");
                if (!Utf8Validator.isValid(control, 2, controlLength - 2)) {
                    throw new WebSocketException(CloseCode.INVALID_PAYLOAD, "close reason is not valid UTF-8");
                }
                sink.onClose(code, new String(control, 2, controlLength - 2, StandardCharsets.UTF_8));
            }
            default -> throw new IllegalStateException("not a control opcode: " + frameOpcode);
        }
    }

    /** Frees the inflater's native memory. Idempotent. */
    @Override
    public void close() {
        if (inflater != null) inflater.end();
    }
}
