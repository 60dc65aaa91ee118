package io.netloop.http.websocket;

/**
 * Reads WebSocket frames (RFC 6455 §5.2) from bytes as they arrive, in pieces of any size,
 * and refuses a stream that breaks the framing rules with the close code to send.
 *
 * <p>Feed it with {@link #decode}: it consumes every byte it is given (a partial header waits
 * in a 14-byte array of its own) and reports each frame to a {@link FrameSink} as a start,
 * its payload in one or more unmasked slices, and an end. Payload is unmasked in place, in
 * the caller's array, and never copied here: nothing is allocated per frame.
 *
 * <p>What it refuses, each with 1002 (protocol error) unless said otherwise:
 * <ul>
 *   <li>RSV2 or RSV3 set; RSV1 set unless an extension (permessage-deflate) was negotiated,
 *       and then only on the first frame of a data message (RFC 7692 §6);</li>
 *   <li>a reserved opcode (3-7, 11-15);</li>
 *   <li>a control frame that is fragmented or longer than 125 bytes (§5.5);</li>
 *   <li>a continuation frame outside a fragmented message, or a new text or binary frame inside
 *       one (§5.4); control frames may come between fragments;</li>
 *   <li>an unmasked frame where masking is required (from a client, §5.1), or a masked one
 *       where it is not (from a server);</li>
 *   <li>a 64-bit length with its most significant bit set, and a length not written in the
 *       fewest bytes (a 16-bit length below 126, a 64-bit length below 65536): §5.2 requires
 *       the minimal encoding, and refusing the others keeps one spelling per frame;</li>
 *   <li>1009 (message too big): a frame longer than {@code maxFrameSize}, or a data message
 *       whose frames add up to more than {@code maxMessageSize} (compressed messages are held
 *       to a little more, since deflate may grow incompressible data: see
 *       {@link #compressedLimit}; the inflated size is the {@link MessageAssembler}'s to check).</li>
 * </ul>
 * Every check is made on the header, before the payload arrives. After a refusal the decoder
 * is spent: further calls throw the same exception.
 *
 * <p>Threading: not thread-safe; one per connection, on its loop thread.
 */
public final class FrameDecoder {
    /** Receives what the decoder reads, in stream order. */
    public interface FrameSink {
        /**
         * A frame's header has been read.
         *
         * @param compressed RSV1, on the first frame of a compressed message
         * @param length the payload length, already checked against the limits
         */
        void frameStart(int opcode, boolean fin, boolean compressed, int length) throws WebSocketException;

        /** Unmasked payload of the current frame; the slice is valid during the call only. */
        void payload(byte[] array, int offset, int length) throws WebSocketException;

        /** The current frame is complete (directly after frameStart for an empty payload). */
        void frameEnd() throws WebSocketException;
    }

    private static final int MAX_HEADER = 14;

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final boolean masked;
    private final boolean rsv1Allowed;

    private final byte[] header = new byte[MAX_HEADER];
    private int headerHave;
    private int headerNeed = 2;
    private boolean inPayload;
    private long remaining;
    private int maskKey;
    private int maskPos;

    private int opcode;
    private boolean fin;
    /** Inside a fragmented data message: only continuations and control frames may come. */
    private boolean inMessage;

    private boolean messageCompressed;
    private long messageBytes;
    private WebSocketException failure;

    /**
     * @param maxFrameSize the largest payload of one frame
     * @param maxMessageSize the largest data message, its frames added up
     * @param masked true on a server (client frames must be masked), false on a client
     * @param rsv1Allowed true when permessage-deflate was negotiated
     */
    public FrameDecoder(int maxFrameSize, int maxMessageSize, boolean masked, boolean rsv1Allowed) {
        if (maxFrameSize < 125 || maxMessageSize < 0)
            throw new IllegalArgumentException("maxFrameSize must be at least 125, maxMessageSize not negative");
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
        this.masked = masked;
        this.rsv1Allowed = rsv1Allowed;
    }

    /**
     * Decodes {@code data[offset, offset+length)}, all of it, reporting frames to {@code sink}.
     * Unmasks the payload in place. A sink's exception stops decoding and spends the decoder
     * like a framing error does.
     *
     * @throws WebSocketException when the stream breaks the protocol (its close code says how)
     */
    public void decode(byte[] data, int offset, int length, FrameSink sink) throws WebSocketException {
        if (failure != null) throw failure;
        java.util.Objects.checkFromIndexSize(offset, length, data.length);
        try {
            int at = offset;
            int end = offset + length;
            while (at < end || (inPayload && remaining == 0)) {
                if (!inPayload) {
                    int take = Math.min(headerNeed - headerHave, end - at);
                    System.arraycopy(data, at, header, headerHave, take);
                    headerHave += take;
                    at += take;
                    if (headerHave < headerNeed) return;
                    if (headerNeed == 2) {
                        headerNeed = checkFirstTwoBytes();
                        if (headerHave < headerNeed) continue;
                    }
                    startFrame(sink);
                    continue;
                }
                int n = (int) Math.min(remaining, end - at);
                if (n > 0) {
                    if (masked) maskPos = Masking.unmask(data, at, n, maskKey, maskPos);
                    remaining -= n;
                    at += n;
                    sink.payload(data, at - n, n);
                }
                if (remaining == 0) endFrame(sink);
            }
        } catch (WebSocketException e) {
            failure = e;
            throw e;
        }
    }

    /** True between frames: no partial header or payload is pending. */
    public boolean atFrameBoundary() {
        return !inPayload && headerHave == 0;
    }

    /** Whether a fragmented data message has begun and not yet ended. */
    public boolean inFragmentedMessage() {
        return inMessage;
    }

    /** The largest compressed payload a message of {@code maxMessageSize} inflated bytes may take. */
    static long compressedLimit(int maxMessageSize) {
        // Stored deflate blocks add 5 bytes per 65,535, plus the flush marker and the final
        // empty block: a bound an honest compressor stays within for incompressible data.
        return maxMessageSize + (maxMessageSize >> 12) + 64;
    }

    /** Checks what the first two bytes decide on their own; returns the header's full length. */
    private int checkFirstTwoBytes() throws WebSocketException {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        int op = b0 & 0x0F;
        boolean rsv1 = (b0 & 0x40) != 0;
        if ((b0 & 0x30) != 0)
            throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "RSV2/RSV3 set without an extension");
        if (!Opcode.isKnown(op)) throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "reserved opcode " + op);
        boolean control = Opcode.isControl(op);
        int len7 = b1 & 0x7F;
        if (control) {
            if ((b0 & 0x80) == 0) throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
            if (len7 > 125)
                throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "control frame longer than 125 bytes");
            if (rsv1) throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "RSV1 set on a control frame");
        } else if (op == Opcode.CONTINUATION) {
            if (!inMessage)
                throw new WebSocketException(
                        CloseCode.PROTOCOL_ERROR, "continuation frame without a message to continue");
            if (rsv1) throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "RSV1 set on a continuation frame");
        } else {
            if (inMessage)
                throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "new data frame inside a fragmented message");
            if (rsv1 && !rsv1Allowed)
                throw new WebSocketException(CloseCode.PROTOCOL_ERROR, "RSV1 set without a negotiated extension");
        }
        boolean hasMask = (b1 & 0x80) != 0;
        if (hasMask != masked) {
            throw new WebSocketException(
                    CloseCode.PROTOCOL_ERROR, masked ? "unmasked frame from a client" : "masked frame from a server");
        }
        return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + (hasMask ? 4 : 0);
    }

    private void startFrame(FrameSink sink) throws WebSocketException {
        int b0 = header[0] & 0xFF;
        int len7 = header[1] & 0x7F;
        int at = 2;
        long len;
        if (len7 == 126) {
            len = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            if (len < 126)
                throw new WebSocketException(
                        CloseCode.PROTOCOL_ERROR, "16-bit length " + len + " not minimally encoded");
            at = 4;
        } else if (len7 == 127) {
            len = 0;
            for (int i = 2; i < 10; i++) len = (len << 8) | (header[i] & 0xFF);
            if (len < 0)
                throw new WebSocketException(
                        CloseCode.PROTOCOL_ERROR, "64-bit length with the most significant bit set");
            if (len <= 0xFFFF)
                throw new WebSocketException(
                        CloseCode.PROTOCOL_ERROR, "64-bit length " + len + " not minimally encoded");
            at = 10;
        } else {
            len = len7;
        }
        if (masked) {
            maskKey = ((header[at] & 0xFF) << 24)
                    | ((header[at + 1] & 0xFF) << 16)
                    | ((header[at + 2] & 0xFF) << 8)
                    | (header[at + 3] & 0xFF);
            maskPos = 0;
        }
        opcode = b0 & 0x0F;
        fin = (b0 & 0x80) != 0;
        boolean rsv1 = (b0 & 0x40) != 0;
        if (len > maxFrameSize)
            throw new WebSocketException(
                    CloseCode.MESSAGE_TOO_BIG, "frame of " + len + " bytes, over the limit of " + maxFrameSize);
        if (!Opcode.isControl(opcode)) {
            if (opcode != Opcode.CONTINUATION) {
                messageBytes = 0;
                messageCompressed = rsv1;
            }
            messageBytes += len;
            long limit = messageCompressed ? compressedLimit(maxMessageSize) : maxMessageSize;
            if (messageBytes > limit) {
                throw new WebSocketException(
                        CloseCode.MESSAGE_TOO_BIG, "message over the limit of " + maxMessageSize + " bytes");
            }
            inMessage = !fin;
        }
        headerHave = 0;
        headerNeed = 2;
        inPayload = true;
        remaining = len;
        sink.frameStart(opcode, fin, rsv1, (int) len);
    }

    private void endFrame(FrameSink sink) throws WebSocketException {
        inPayload = false;
        sink.frameEnd();
    }
}
