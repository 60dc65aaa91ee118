package io.netloop.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Blocking test clients on plain JDK sockets, so that the server under test is checked by
 * code that shares nothing with it.
 *
 * <p>Threading: each method on the calling thread (virtual threads welcome).
 */
public final class Clients {
    private Clients() {}

    public static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(20_000);
        s.setTcpNoDelay(true);
        return s;
    }

    /** Reads exactly {@code n} bytes or fails. */
    public static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new IOException("end of stream after " + b.length + " of " + n + " bytes");
        return b;
    }

    /** Reads until end of stream. */
    public static byte[] readToEnd(Socket s) throws IOException {
        return s.getInputStream().readAllBytes();
    }

    /** Polls {@code condition} until true or the timeout, then fails with {@code what}. */
    public static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            Thread.sleep(10);
        }
    }
}
