package io.netloop.apps.peer;

import io.netloop.testing.Clients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A peer on a plain JDK socket, for saying what a {@link PeerNode} must cope with (garbage,
 * silence, resets) without sharing any code with it.
 *
 * <p>Threading: one test thread at a time.
 */
final class RawPeer implements AutoCloseable {
    final Socket socket;
    private final InputStream in;

    private RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
    }

    /** Connects and checks the node's hello. */
    static RawPeer connect(TestPeer node) throws IOException {
        RawPeer p = new RawPeer(Clients.connect(node.port()));
        String hello = p.readLine();
        if (!hello.startsWith("hello: ")) throw new AssertionError("expected a hello, got " + hello);
        return p;
    }

    /** Connects with a small receive buffer, for a peer that will never read. */
    static RawPeer connectNotReading(TestPeer node) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new java.net.InetSocketAddress("127.0.0.1", node.port()), 5_000);
        s.setSoTimeout(20_000);
        return new RawPeer(s);
    }

    void send(String line) throws IOException {
        sendBytes((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendBytes(byte[] b) throws IOException {
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
    }

    /** The next line without its LF; null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (; ; ) {
            int b = in.read();
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            if (b == '\n') return line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
    }

    /** Reads lines until {@code wanted}, failing at end of stream. */
    void awaitLine(String wanted) throws IOException {
        for (String l; (l = readLine()) != null; ) if (l.equals(wanted)) return;
        throw new AssertionError("end of stream before " + wanted);
    }

    /** Reads to end of stream (the node closed its side) and returns what came. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Closes as a killed process's kernel may: with a reset (SO_LINGER 0) instead of a FIN. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
