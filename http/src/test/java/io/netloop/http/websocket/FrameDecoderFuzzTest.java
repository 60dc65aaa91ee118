package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of {@link FrameDecoder} and the {@link MessageAssembler} behind it
 * (Jazzer), as a server reads a client's stream: any bytes, cut anywhere. A plain build runs the
 * committed inputs in {@code src/test/resources/io/netloop/http/websocket/FrameDecoderFuzzTestInputs}.
 * For every input:
 * <ul>
 *   <li>nothing but {@link WebSocketException} escapes, and its close code is one the decoder and
 *       assembler document (1002, 1007, 1009), valid on the wire; a spent decoder keeps refusing;
 *   <li>a close frame reaches the application only with a code valid on the wire (or 1005 for none);
 *   <li>memory stays bounded: no frame over the frame limit, no message over the message limit
 *       (inflated, for permessage-deflate), no control payload over 125 bytes, and never more
 *       payload handed out than bytes arrived;
 *   <li>the stream cut into pieces anywhere reads exactly as the whole stream.
 * </ul>
 */
class FrameDecoderFuzzTest {
    private static final int MAX_FRAME = 1024;
    private static final int MAX_MESSAGE = 4096;
    private static final int MAX_CUTS = 8;

    /** What a stream amounted to: the events in order and the close code it failed with (0 if none). */
    record Outcome(List<String> events, int failure) {}

    @FuzzTest(maxDuration = "5m")
    void anyClientStreamIsReadOrRefusedWithAValidCloseCode(FuzzedDataProvider data) throws Exception {
        boolean inflate = data.consumeBoolean();
        int[] cutFractions = new int[data.consumeInt(0, MAX_CUTS)];
        for (int i = 0; i < cutFractions.length; i++) cutFractions[i] = data.consumeInt(0, 1 << 16);
        byte[] stream = data.consumeRemainingAsBytes();
        int[] cuts = Arrays.stream(cutFractions)
                .map(f -> (int) ((long) f * stream.length >> 16))
                .sorted()
                .toArray();

        Outcome whole = read(stream, new int[0], inflate);
        assertThat(read(stream, cuts, inflate))
                .as("the stream cut at %s", Arrays.toString(cuts))
                .isEqualTo(whole);
    }

    /**
     * Found by this target: text that inflated to invalid UTF-8 and past the size limit was
     * refused with 1009 when it arrived whole and 1007 when it arrived in pieces.
     */
    @Test
    void closeCodeOfBadCompressedTextDoesNotDependOnHowItArrives() throws Exception {
        byte[] text = new byte[3 * MAX_MESSAGE];
        Arrays.fill(text, (byte) 'a');
        text[MAX_MESSAGE / 2] = (byte) 0xFF; // never valid in UTF-8
        byte[] frame = WsClient.frame(Opcode.TEXT, true, true, deflate(text), 0x37FA213D);
        int[] everyByte = java.util.stream.IntStream.range(1, frame.length).toArray();
        assertThat(read(frame, new int[0], true)).isEqualTo(new Outcome(List.of(), CloseCode.INVALID_PAYLOAD));
        assertThat(read(frame, everyByte, true)).isEqualTo(new Outcome(List.of(), CloseCode.INVALID_PAYLOAD));
    }

    /** A permessage-deflate payload: raw deflate, sync-flushed, without the final 00 00 FF FF (RFC 7692 §7.2.1). */
    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            deflater.setInput(data);
            byte[] out = new byte[data.length + 64];
            int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
            return Arrays.copyOf(out, n - 4);
        } finally {
            deflater.end();
        }
    }

    private static Outcome read(byte[] stream, int[] cuts, boolean inflate) throws Exception {
        byte[] input = stream.clone(); // the decoder unmasks in place
        List<String> events = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(MAX_FRAME, MAX_MESSAGE, true, inflate);
        try (MessageAssembler assembler =
                new MessageAssembler(MAX_MESSAGE, inflate, false, new CheckedMessages(events))) {
            CheckedFrames frames = new CheckedFrames(assembler);
            int from = 0;
            int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
            ends[cuts.length] = input.length;
            for (int end : ends) {
                try {
                    decoder.decode(input, from, end - from, frames);
                } catch (WebSocketException e) {
                    assertThat(e.closeCode())
                            .as("close code for \"%s\"", e.getMessage())
                            .isIn(CloseCode.PROTOCOL_ERROR, CloseCode.INVALID_PAYLOAD, CloseCode.MESSAGE_TOO_BIG);
                    assertThat(CloseCode.isValidOnWire(e.closeCode())).isTrue();
                    assertThatThrownBy(() -> decoder.decode(new byte[1], 0, 1, frames))
                            .as("a spent decoder")
                            .isSameAs(e);
                    return new Outcome(events, e.closeCode());
                }
                assertThat(frames.payloadBytes).as("payload handed out").isLessThanOrEqualTo(end);
                from = end;
            }
            if (decoder.atFrameBoundary())
                assertThat(frames.open)
                        .as("a frame left open at a frame boundary")
                        .isFalse();
            return new Outcome(events, 0);
        }
    }

    /** Checks the decoder's frames against its limits before the assembler sees them. */
    private static final class CheckedFrames implements FrameDecoder.FrameSink {
        private final MessageAssembler next;
        private boolean open;
        private long frameLeft;
        private long payloadBytes;

        CheckedFrames(MessageAssembler next) {
            this.next = next;
        }

        @Override
        public void frameStart(int opcode, boolean fin, boolean compressed, int length) throws WebSocketException {
            assertThat(open).as("frame started inside a frame").isFalse();
            assertThat(Opcode.isKnown(opcode)).as("opcode %d", opcode).isTrue();
            assertThat(length).isBetween(0, Opcode.isControl(opcode) ? 125 : MAX_FRAME);
            open = true;
            frameLeft = length;
            next.frameStart(opcode, fin, compressed, length);
        }

        @Override
        public void payload(byte[] array, int offset, int length) throws WebSocketException {
            assertThat(open).as("payload outside a frame").isTrue();
            assertThat(length).as("payload slice").isPositive().isLessThanOrEqualTo((int)
                    Math.min(Integer.MAX_VALUE, frameLeft));
            frameLeft -= length;
            payloadBytes += length;
            next.payload(array, offset, length);
        }

        @Override
        public void frameEnd() throws WebSocketException {
            assertThat(open && frameLeft == 0)
                    .as("frame ended with %d bytes missing", frameLeft)
                    .isTrue();
            open = false;
            next.frameEnd();
        }
    }

    /** Records each message, checking what the application would be handed. */
    private record CheckedMessages(List<String> events) implements MessageAssembler.MessageSink {
        @Override
        public void onText(String text) {
            assertThat(text.length()).as("text message").isLessThanOrEqualTo(MAX_MESSAGE);
            events.add("text " + text);
        }

        @Override
        public void onBinary(byte[] data) {
            assertThat(data.length).as("binary message").isLessThanOrEqualTo(MAX_MESSAGE);
            events.add("binary " + HexFormat.of().formatHex(data));
        }

        @Override
        public void onPing(byte[] payload) {
            assertThat(payload.length).as("ping").isLessThanOrEqualTo(125);
            events.add("ping " + HexFormat.of().formatHex(payload));
        }

        @Override
        public void onPong(byte[] payload) {
            assertThat(payload.length).as("pong").isLessThanOrEqualTo(125);
            events.add("pong " + HexFormat.of().formatHex(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            assertThat(code == CloseCode.NO_STATUS || CloseCode.isValidOnWire(code))
                    .as("close code %d", code)
                    .isTrue();
            events.add("close " + code + " " + reason);
        }
    }
}
