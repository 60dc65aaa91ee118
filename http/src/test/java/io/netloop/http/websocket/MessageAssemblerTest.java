package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Decoder and assembler together, without sockets: reassembly, UTF-8, close frames, inflating. */
class MessageAssemblerTest {
    private final List<String> events = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    private final MessageAssembler.MessageSink sink = new MessageAssembler.MessageSink() {
        @Override
        public void onText(String text) {
            events.add("text:" + text);
        }

        @Override
        public void onBinary(byte[] data) {
            events.add("binary:" + data.length);
        }

        @Override
        public void onPing(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void onPong(byte[] payload) {
            events.add("pong:" + payload.length);
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }
    };

    @AfterEach
    void free() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    /** Feeds the frames; returns the close code of a refusal, or 0. */
    private int feed(int maxMessage, boolean deflate, byte[]... frames) {
        MessageAssembler a = new MessageAssembler(maxMessage, deflate, false, sink);
        toClose.add(a);
        FrameDecoder d = new FrameDecoder(Math.max(125, maxMessage * 2), maxMessage * 2, true, deflate);
        try {
            for (byte[] f : frames) d.decode(f, 0, f.length, a);
            return 0;
        } catch (WebSocketException e) {
            return e.closeCode();
        }
    }

    private static byte[] f(int opcode, boolean fin, byte[] payload) {
        return WsClient.frame(opcode, fin, false, payload, 0x5A5A1234);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fragmentsJoinAndControlFramesPassBetweenThem() {
        assertThat(feed(
                        1000,
                        false,
                        f(Opcode.BINARY, false, new byte[10]),
                        f(Opcode.PING, true, utf8("p")),
                        f(Opcode.CONTINUATION, false, new byte[0]),
                        f(Opcode.PONG, true, new byte[3]),
                        f(Opcode.CONTINUATION, true, new byte[5]),
                        f(Opcode.TEXT, true, utf8("next"))))
                .isZero();
        assertThat(events).containsExactly("ping:p", "pong:3", "binary:15", "text:next");
    }

    @Test
    void textSplitInsideFourByteCodePointsIsValid() {
        byte[] all = utf8("a😀b😀");
        byte[][] frames = new byte[all.length][];
        for (int i = 0; i < all.length; i++) {
            frames[i] = f(i == 0 ? Opcode.TEXT : Opcode.CONTINUATION, i == all.length - 1, new byte[] {all[i]});
        }
        assertThat(feed(1000, false, frames)).isZero();
        assertThat(events).containsExactly("text:a😀b😀");
    }

    @Test
    void invalidUtf8IsRefusedAtTheFragmentThatHoldsIt() {
        assertThat(feed(1000, false, f(Opcode.TEXT, false, utf8("ok")), f(Opcode.CONTINUATION, false, new byte[] {
                    (byte) 0xF5
                })))
                .isEqualTo(1007);
        assertThat(events).isEmpty();
    }

    @Test
    void binaryIsNotCheckedAsText() {
        assertThat(feed(1000, false, f(Opcode.BINARY, true, new byte[] {(byte) 0xFF, (byte) 0xC0})))
                .isZero();
    }

    @Test
    void closeFramesAreReadAndChecked() {
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8, 'o', 'k'})))
                .isZero();
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x0F, (byte) 0x9F})))
                .isZero(); // 3999
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x13, (byte) 0x87})))
                .isZero(); // 4999
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[0]))).isZero();
        assertThat(events).containsExactly("close:1000:ok", "close:3999:", "close:4999:", "close:1005:");
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xED})))
                .as("1005 on the wire")
                .isEqualTo(1002);
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xF7})))
                .as("1015")
                .isEqualTo(1002);
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x13, (byte) 0x88})))
                .as("5000")
                .isEqualTo(1002);
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x03})))
                .as("one byte")
                .isEqualTo(1002);
        assertThat(feed(100, false, f(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF})))
                .as("reason not UTF-8")
                .isEqualTo(1007);
    }

    /** Compresses as RFC 7692 §7.2.1 says a sender does: raw deflate, sync flush, tail removed. */
    static byte[] compress(Deflater d, byte[] data) {
        d.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        byte[] all = out.toByteArray();
        // Nothing to flush (an empty message right after a flush): the single 00 byte of §7.2.3.6.
        return all.length == 0 ? new byte[1] : java.util.Arrays.copyOf(all, all.length - 4);
    }

    private static byte[] compressed(int opcode, boolean fin, byte[] payload) {
        return WsClient.frame(opcode, fin, true, payload, 0x0F0F0F0F);
    }

    @Test
    void compressedMessagesInflateWithTheWindowCarriedOver() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        toClose.add(d::end);
        String line = "the same chat line, again and again ";
        byte[] first = compress(d, utf8(line.repeat(3)));
        byte[] second = compress(d, utf8(line.repeat(3))); // refers back into the first message's window
        byte[] empty = compress(d, new byte[0]);
        assertThat(second.length).isLessThan(first.length);
        assertThat(feed(
                        10_000,
                        true,
                        compressed(Opcode.TEXT, true, first),
                        f(Opcode.TEXT, true, utf8("plain")),
                        compressed(Opcode.TEXT, true, second),
                        compressed(Opcode.BINARY, true, empty)))
                .isZero();
        assertThat(events)
                .containsExactly("text:" + line.repeat(3), "text:plain", "text:" + line.repeat(3), "binary:0");
    }

    @Test
    void aCompressedMessageMayBeFragmented() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        toClose.add(d::end);
        byte[] c = compress(d, utf8("fragmented and compressed ".repeat(20)));
        int half = c.length / 2;
        assertThat(feed(
                        10_000,
                        true,
                        compressed(Opcode.TEXT, false, java.util.Arrays.copyOf(c, half)),
                        f(Opcode.PING, true, new byte[0]),
                        f(Opcode.CONTINUATION, true, java.util.Arrays.copyOfRange(c, half, c.length))))
                .isZero();
        assertThat(events).containsExactly("ping:", "text:" + "fragmented and compressed ".repeat(20));
    }

    @Test
    void aDeflateBombStopsAtTheLimit() {
        Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
        toClose.add(d::end);
        byte[] bomb = compress(d, new byte[20 << 20]); // 20 MiB of zeros in about 20 KiB
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThat(feed(1 << 20, true, compressed(Opcode.BINARY, true, bomb))).isEqualTo(1009);
        assertThat(events).isEmpty();
    }

    @Test
    void exactlyTheLimitInflatedIsAccepted() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        toClose.add(d::end);
        assertThat(feed(100_000, true, compressed(Opcode.BINARY, true, compress(d, new byte[100_000]))))
                .isZero();
        assertThat(events).containsExactly("binary:100000");
    }

    @Test
    void garbageThatDoesNotInflateFails1007() {
        assertThat(feed(1000, true, compressed(Opcode.BINARY, true, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12, 0x34})))
                .isEqualTo(1007);
    }

    @Test
    void compressedTextIsCheckedAsUtf8AfterInflating() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        toClose.add(d::end);
        assertThat(feed(1000, true, compressed(Opcode.TEXT, true, compress(d, new byte[] {'a', (byte) 0xC0, (byte) 0x80
                }))))
                .isEqualTo(1007);
    }
}
