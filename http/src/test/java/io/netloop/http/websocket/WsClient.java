package io.netloop.http.websocket;

import io.netloop.testing.Clients;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A raw-socket WebSocket client for tests: it writes the handshake and frames byte by byte with
 * its own code (none of the server's encoder or decoder), so that the server is checked by
 * something that shares nothing with it, and it can send what no real client would.
 *
 * <p>Threading: one test thread.
 */
final class WsClient implements AutoCloseable {
    record Frame(int opcode, boolean fin, boolean rsv1, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    /** A response head: status and fields (names in lower case). */
    record Head(int status, Map<String, String> fields) {
        String field(String name) {
            return fields.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Random random = new Random(42);
    Head handshake;

    private WsClient(int port) throws IOException {
        socket = Clients.connect(port);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    /** Connects and completes a handshake for {@code path}, failing unless the answer is a valid 101. */
    static WsClient open(int port, String path, String... extraFields) throws IOException {
        WsClient c = new WsClient(port);
        String key = c.newKey();
        c.send(upgradeRequest(path, key, extraFields));
        c.handshake = c.readHead();
        if (c.handshake.status() != 101) {
            c.close();
            throw new AssertionError("expected 101, got " + c.handshake);
        }
        if (!expectedAccept(key).equals(c.handshake.field("Sec-WebSocket-Accept"))) {
            c.close();
            throw new AssertionError("wrong Sec-WebSocket-Accept in " + c.handshake);
        }
        return c;
    }

    /** Connects without a handshake: the test writes the request itself. */
    static WsClient raw(int port) throws IOException {
        return new WsClient(port);
    }

    String newKey() {
        byte[] k = new byte[16];
        random.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    static String upgradeRequest(String path, String key, String... extraFields) {
        StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + key + "\r\n");
        for (String f : extraFields) b.append(f).append("\r\n");
        return b.append("\r\n").toString();
    }

    /** The accept value as RFC 6455 §1.3 computes it, written out here independently of the server. */
    static String expectedAccept(String key) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    WsClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    WsClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Reads a response head up to its empty line (bytes after it stay unread). */
    Head readHead() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int status = -1;
        Map<String, String> fields = new LinkedHashMap<>();
        for (; ; ) {
            int b = in.read();
            if (b < 0) throw new IOException("end of stream inside a response head");
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            line.reset();
            if (l.isEmpty()) return new Head(status, fields);
            if (status < 0) {
                status = Integer.parseInt(l.split(" ")[1]);
            } else {
                int colon = l.indexOf(':');
                fields.put(
                        l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        l.substring(colon + 1).trim());
            }
        }
    }

    /** Reads {@code n} body bytes (after a refusal with Content-Length). */
    String readBody(Head h) throws IOException {
        int n = Integer.parseInt(h.field("Content-Length"));
        return new String(Clients.readExactly(in, n), StandardCharsets.UTF_8);
    }

    /** A masked frame, as clients must send them. */
    static byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] payload, int maskKey) {
        return frame(opcode, fin, rsv1, payload, true, maskKey);
    }

    static byte[] frame(int opcode, boolean fin, boolean rsv1, byte[] payload, boolean masked, int maskKey) {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int m = masked ? 0x80 : 0;
        if (payload.length < 126) {
            f.write(m | payload.length);
        } else if (payload.length < 65536) {
            f.write(m | 126);
            f.write(payload.length >> 8);
            f.write(payload.length & 0xFF);
        } else {
            f.write(m | 127);
            for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >> shift) & 0xFF);
        }
        byte[] key = {(byte) (maskKey >> 24), (byte) (maskKey >> 16), (byte) (maskKey >> 8), (byte) maskKey};
        if (masked) f.write(key, 0, 4);
        for (int i = 0; i < payload.length; i++) f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
        return f.toByteArray();
    }

    WsClient sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        return send(frame(opcode, fin, false, payload, random.nextInt()));
    }

    WsClient sendText(String text) throws IOException {
        return sendFrame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    WsClient sendBinary(byte[] data) throws IOException {
        return sendFrame(Opcode.BINARY, true, data);
    }

    WsClient sendClose(int code, String reason) throws IOException {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return sendFrame(Opcode.CLOSE, true, p);
    }

    /** Reads one frame; a server's frames are never masked. */
    Frame readFrame() throws IOException {
        byte[] h = Clients.readExactly(in, 2);
        int opcode = h[0] & 0x0F;
        boolean fin = (h[0] & 0x80) != 0;
        boolean rsv1 = (h[0] & 0x40) != 0;
        if ((h[1] & 0x80) != 0) throw new AssertionError("the server sent a masked frame");
        long len = h[1] & 0x7F;
        if (len == 126) {
            byte[] e = Clients.readExactly(in, 2);
            len = ((e[0] & 0xFF) << 8) | (e[1] & 0xFF);
        } else if (len == 127) {
            byte[] e = Clients.readExactly(in, 8);
            len = 0;
            for (byte b : e) len = (len << 8) | (b & 0xFF);
        }
        return new Frame(opcode, fin, rsv1, Clients.readExactly(in, (int) len));
    }

    /** Reads frames until a close frame, which it returns. */
    Frame readUntilClose() throws IOException {
        for (; ; ) {
            Frame f = readFrame();
            if (f.opcode() == Opcode.CLOSE) return f;
        }
    }

    /** Whether the server closes the connection (end of stream) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (in.read() >= 0) {
                // discard whatever comes before the end
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
