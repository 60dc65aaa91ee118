package io.netloop.chat;

import io.netloop.testing.Clients;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A TCP chat client as nc would be: writes lines, reads CRLF-terminated lines, on a plain JDK
 * socket. Blocking, with the socket's read timeout (20 s) as the bound on every wait.
 *
 * <p>Threading: one thread at a time.
 */
final class LineClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    /** Every line read so far, for failure messages. */
    final List<String> seen = new ArrayList<>();

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static LineClient connect(int port) throws IOException {
        return new LineClient(Clients.connect(port));
    }

    /** Connects, reads the greeting, and joins as {@code nick}; returns once the room confirmed it. */
    static LineClient join(int port, String nick) throws IOException {
        return join(new LineClient(Clients.connect(port)), nick);
    }

    /** As {@link #join(int, String)}, on a socket already connected (set up as a test needs). */
    static LineClient join(Socket connected, String nick) throws IOException {
        return join(new LineClient(connected), nick);
    }

    private static LineClient join(LineClient c, String nick) throws IOException {
        c.expect(l -> l.startsWith("*** welcome"));
        c.send(nick);
        c.expect(l -> l.startsWith("*** you are " + nick + ";"));
        c.expect(l -> l.startsWith("*** online"));
        return c;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line, without CRLF; null at end of stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (; ; ) {
            int b = in.read();
            if (b < 0) {
                if (line.size() > 0) throw new IOException("end of stream inside a line: " + line);
                return null;
            }
            if (b == '\n') break;
            line.write(b);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        if (!s.endsWith("\r")) throw new IOException("a line without CRLF: " + s);
        s = s.substring(0, s.length() - 1);
        seen.add(s);
        return s;
    }

    private static final java.util.regex.Pattern PRESENCE =
            java.util.regex.Pattern.compile("\\*\\*\\* \\S+ (joined|left \\(.*\\)|is now known as \\S+)");

    /**
     * The next line that is not a join, leave or rename of someone: the answer to what this
     * client did, whatever the other tests' clients are doing meanwhile.
     */
    String reply() throws IOException {
        for (; ; ) {
            String l = readLine();
            if (l == null || !PRESENCE.matcher(l).matches()) return l;
        }
    }

    /** Reads lines until one matches, skipping the others. */
    String expect(Predicate<String> wanted) throws IOException {
        for (; ; ) {
            String l = readLine();
            if (l == null) throw new AssertionError("end of stream before the expected line; read: " + seen);
            if (wanted.test(l)) return l;
        }
    }

    /** Reads the rest until end of stream, joins, leaves and renames left out. */
    List<String> repliesToEnd() throws IOException {
        List<String> rest = new ArrayList<>();
        for (String l; (l = reply()) != null; ) rest.add(l);
        return rest;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
