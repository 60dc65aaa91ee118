package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame decoder alone: every length class, every refusal, and any split of the input. */
class FrameDecoderTest {
    record Got(int opcode, boolean fin, boolean compressed, byte[] payload) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Got g
                    && g.opcode == opcode
                    && g.fin == fin
                    && g.compressed == compressed
                    && Arrays.equals(g.payload, payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload) * 31 + opcode;
        }

        @Override
        public String toString() {
            return "Got[" + opcode + (fin ? " fin" : "") + (compressed ? " rsv1" : "") + ", " + payload.length
                    + " bytes]";
        }
    }

    /** Collects frames; checks that payload slices arrive between a start and an end. */
    static final class Collector implements FrameDecoder.FrameSink {
        final List<Got> frames = new ArrayList<>();
        private int opcode;
        private boolean fin;
        private boolean compressed;
        private int expected = -1;
        private final ByteArrayOutputStream payload = new ByteArrayOutputStream();

        @Override
        public void frameStart(int opcode, boolean fin, boolean compressed, int length) {
            assertThat(expected).as("frame started inside a frame").isEqualTo(-1);
            this.opcode = opcode;
            this.fin = fin;
            this.compressed = compressed;
            this.expected = length;
            payload.reset();
        }

        @Override
        public void payload(byte[] array, int offset, int length) {
            assertThat(expected).as("payload outside a frame").isGreaterThanOrEqualTo(0);
            assertThat(length).isPositive();
            payload.write(array, offset, length);
        }

        @Override
        public void frameEnd() {
            assertThat(payload.size()).isEqualTo(expected);
            frames.add(new Got(opcode, fin, compressed, payload.toByteArray()));
            expected = -1;
        }
    }

    private static FrameDecoder server() {
        return new FrameDecoder(2 << 20, 4 << 20, true, false);
    }

    private static List<Got> decodeWhole(FrameDecoder d, byte[] stream) throws WebSocketException {
        Collector c = new Collector();
        d.decode(stream.clone(), 0, stream.length, c);
        return c.frames;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 1 << 20})
    void everyLengthClassDecodesToTheSamePayload(int size) throws Exception {
        byte[] payload = new byte[size];
        new Random(size).nextBytes(payload);
        List<Got> got = decodeWhole(server(), WsClient.frame(Opcode.BINARY, true, false, payload, 0xCAFEBABE));
        assertThat(got).containsExactly(new Got(Opcode.BINARY, true, false, payload));
    }

    @Test
    void encoderOutputDecodes() throws Exception {
        io.netloop.core.buffer.Buffer b = new io.netloop.core.buffer.Buffer();
        byte[] p = "hello".getBytes();
        FrameEncoder.maskedFrame(b, Opcode.TEXT, false, false, p, 0, p.length, 0x0BADF00D);
        FrameEncoder.maskedFrame(b, Opcode.CONTINUATION, true, false, new byte[70000], 0, 70000, 7);
        assertThat(decodeWhole(server(), b.readAll()))
                .containsExactly(
                        new Got(Opcode.TEXT, false, false, p),
                        new Got(Opcode.CONTINUATION, true, false, new byte[70000]));
    }

    @Test
    void serverFramesFromTheEncoderDecodeOnAClientDecoder() throws Exception {
        io.netloop.core.buffer.Buffer b = new io.netloop.core.buffer.Buffer();
        byte[] p = new byte[300];
        new Random(3).nextBytes(p);
        FrameEncoder.frame(b, Opcode.BINARY, true, false, p, 0, p.length);
        Collector c = new Collector();
        new FrameDecoder(1 << 20, 1 << 20, false, false).decode(b.array(), b.readerIndex(), b.readableBytes(), c);
        assertThat(c.frames).containsExactly(new Got(Opcode.BINARY, true, false, p));
    }

    /** A stream of frames of random kinds and sizes in every length class, fragments and control frames mixed. */
    private static byte[] randomStream(Random r, List<Got> expected, int frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean inMessage = false;
        for (int i = 0; i < frames; i++) {
            boolean control = r.nextInt(4) == 0;
            int opcode;
            boolean fin;
            int size;
            if (control) {
                opcode = new int[] {Opcode.PING, Opcode.PONG}[r.nextInt(2)];
                fin = true;
                size = r.nextInt(126);
            } else {
                opcode = inMessage ? Opcode.CONTINUATION : (r.nextBoolean() ? Opcode.TEXT : Opcode.BINARY);
                fin = r.nextInt(3) != 0 || i == frames - 1;
                size = switch (r.nextInt(4)) {
                    case 0 -> r.nextInt(126);
                    case 1 -> 126 + r.nextInt(2000);
                    case 2 -> 65535 + r.nextInt(3);
                    default -> r.nextInt(10);
                };
                inMessage = !fin;
            }
            byte[] p = new byte[size];
            r.nextBytes(p);
            expected.add(new Got(opcode, fin, false, p));
            out.writeBytes(WsClient.frame(opcode, fin, false, p, r.nextInt()));
        }
        return out.toByteArray();
    }

    @Test
    void seededRandomStreamsDecodeTheSameHoweverTheyAreSplit() throws Exception {
        for (long seed = 1; seed <= 40; seed++) {
            Random r = new Random(seed);
            List<Got> expected = new ArrayList<>();
            byte[] stream = randomStream(r, expected, 1 + r.nextInt(20));
            FrameDecoder d = server();
            Collector c = new Collector();
            byte[] copy = stream.clone();
            int at = 0;
            while (at < copy.length) {
                int n = Math.min(copy.length - at, r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 1 + r.nextInt(5000));
                d.decode(copy, at, n, c);
                at += n;
            }
            assertThat(c.frames).as("seed " + seed).isEqualTo(expected);
            assertThat(d.atFrameBoundary()).isTrue();
        }
    }

    @Test
    void aStreamSplitInTwoAtEveryBoundaryDecodesTheSame() throws Exception {
        Random r = new Random(7);
        List<Got> expected = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // Small frames of every header shape: 7-bit, 16-bit and (one) 64-bit length, data and control.
        int[][] shapes = {
            {Opcode.TEXT, 0, 0},
            {Opcode.PING, 1, 3},
            {Opcode.CONTINUATION, 1, 130},
            {Opcode.BINARY, 1, 65536},
            {Opcode.PONG, 1, 0}
        };
        for (int[] s : shapes) {
            byte[] p = new byte[s[2]];
            r.nextBytes(p);
            expected.add(new Got(s[0], s[1] == 1, false, p));
            out.writeBytes(WsClient.frame(s[0], s[1] == 1, false, p, r.nextInt()));
        }
        byte[] stream = out.toByteArray();
        // Every split point inside the headers and the first bytes of payload, and a sample further on.
        for (int split = 0; split <= stream.length; split += split < 400 ? 1 : 997) {
            byte[] copy = stream.clone();
            FrameDecoder d = server();
            Collector c = new Collector();
            d.decode(copy, 0, split, c);
            d.decode(copy, split, copy.length - split, c);
            assertThat(c.frames).as("split at " + split).isEqualTo(expected);
        }
    }

    @Test
    void byteByByteDecodesTheSame() throws Exception {
        Random r = new Random(11);
        List<Got> expected = new ArrayList<>();
        byte[] stream = randomStream(r, expected, 12);
        FrameDecoder d = server();
        Collector c = new Collector();
        for (int i = 0; i < stream.length; i++) d.decode(stream, i, 1, c);
        assertThat(c.frames).isEqualTo(expected);
    }

    private static int refusal(FrameDecoder d, byte[]... frames) {
        try {
            decodeWhole(d, concat(frames));
        } catch (WebSocketException e) {
            return e.closeCode();
        }
        throw new AssertionError("the decoder accepted it");
    }

    private static byte[] masked(int opcode, boolean fin, int size) {
        return WsClient.frame(opcode, fin, false, new byte[size], 0x12345678);
    }

    @Test
    void refusesWhatRfc6455Forbids() {
        assertThat(refusal(server(), WsClient.frame(Opcode.TEXT, true, false, new byte[3], false, 0)))
                .as("unmasked")
                .isEqualTo(1002);
        assertThat(refusal(new FrameDecoder(1000, 1000, false, false), masked(Opcode.TEXT, true, 3)))
                .as("masked from a server")
                .isEqualTo(1002);
        assertThat(refusal(server(), masked(3, true, 1))).as("reserved opcode").isEqualTo(1002);
        assertThat(refusal(server(), masked(15, true, 1)))
                .as("reserved control opcode")
                .isEqualTo(1002);
        assertThat(refusal(server(), WsClient.frame(Opcode.TEXT, true, true, new byte[1], 1)))
                .as("RSV1 without extension")
                .isEqualTo(1002);
        byte[] rsv2 = masked(Opcode.TEXT, true, 1);
        rsv2[0] |= 0x20;
        assertThat(refusal(server(), rsv2)).as("RSV2").isEqualTo(1002);
        byte[] rsv3 = masked(Opcode.TEXT, true, 1);
        rsv3[0] |= 0x10;
        assertThat(refusal(server(), rsv3)).as("RSV3").isEqualTo(1002);
        assertThat(refusal(server(), masked(Opcode.PING, true, 126)))
                .as("long ping")
                .isEqualTo(1002);
        assertThat(refusal(server(), masked(Opcode.CLOSE, false, 2)))
                .as("fragmented close")
                .isEqualTo(1002);
        assertThat(refusal(server(), masked(Opcode.CONTINUATION, true, 1)))
                .as("lone continuation")
                .isEqualTo(1002);
        assertThat(refusal(server(), masked(Opcode.BINARY, false, 1), masked(Opcode.TEXT, true, 1)))
                .as("data inside a message")
                .isEqualTo(1002);
        assertThat(refusal(server(), masked(Opcode.TEXT, true, 1), masked(Opcode.CONTINUATION, true, 1)))
                .as("continuation after fin")
                .isEqualTo(1002);
    }

    @Test
    void rsv1IsAllowedOnlyOnTheFirstFrameOfADataMessageWhenNegotiated() throws Exception {
        FrameDecoder d = new FrameDecoder(1000, 1000, true, true);
        assertThat(decodeWhole(d, WsClient.frame(Opcode.TEXT, false, true, new byte[2], 9)))
                .containsExactly(new Got(Opcode.TEXT, false, true, new byte[2]));
        assertThat(refusal(d, WsClient.frame(Opcode.CONTINUATION, true, true, new byte[2], 9)))
                .isEqualTo(1002);
        assertThat(refusal(
                        new FrameDecoder(1000, 1000, true, true),
                        WsClient.frame(Opcode.PING, true, true, new byte[2], 9)))
                .isEqualTo(1002);
    }

    @Test
    void refusesNonMinimalAndNegativeLengths() {
        // 16-bit length 5, 64-bit length 100, 64-bit with the top bit set: headers only, all masked.
        byte[] short16 = {(byte) 0x82, (byte) (0x80 | 126), 0, 5, 1, 2, 3, 4};
        byte[] short64 = {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 0, 0, 0, 0, 100, 1, 2, 3, 4};
        byte[] negative = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
        assertThat(refusal(server(), short16)).isEqualTo(1002);
        assertThat(refusal(server(), short64)).isEqualTo(1002);
        assertThat(refusal(server(), negative)).isEqualTo(1002);
    }

    @Test
    void refusesTooBigFramesAndMessagesOnTheirHeaders() {
        FrameDecoder small = new FrameDecoder(200, 300, true, false);
        byte[] header =
                Arrays.copyOf(masked(Opcode.BINARY, true, 201), 8); // the header alone: refused before the payload
        assertThat(refusal(small, header)).isEqualTo(1009);
        assertThat(refusal(
                        new FrameDecoder(200, 300, true, false),
                        masked(Opcode.BINARY, false, 200),
                        Arrays.copyOf(masked(Opcode.CONTINUATION, true, 101), 8)))
                .isEqualTo(1009);
        byte[] huge = {(byte) 0x82, (byte) 0xFF, 0, 0, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}; // 4 GiB
        assertThat(refusal(server(), huge)).isEqualTo(1009);
    }

    @Test
    void aSpentDecoderKeepsRefusing() {
        FrameDecoder d = server();
        assertThat(refusal(d, masked(3, true, 0))).isEqualTo(1002);
        assertThatThrownBy(() -> decodeWhole(d, masked(Opcode.TEXT, true, 1))).isInstanceOf(WebSocketException.class);
    }

    @Test
    void unmasksAtEveryKeyOffset() throws Exception {
        byte[] p = new byte[37];
        new Random(5).nextBytes(p);
        for (int split = 0; split < 20; split++) {
            byte[] f = WsClient.frame(Opcode.BINARY, true, false, p, 0xA1B2C3D4);
            Collector c = new Collector();
            FrameDecoder d = server();
            d.decode(f, 0, 6 + split, c);
            d.decode(f, 6 + split, f.length - 6 - split, c);
            assertThat(c.frames.getFirst().payload()).isEqualTo(p);
        }
    }
}
