package io.netloop.http;

import io.netloop.testing.Clients;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A raw-socket HTTP/1.1 client for tests: writes bytes exactly as given and reads responses
 * with its own minimal reader, so the server is checked by code that shares nothing with it.
 *
 * <p>Threading: one test thread.
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = Clients.connect(port);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = socket.getOutputStream();
    }

    static RawClient connect(HttpServer server) throws IOException {
        return new RawClient(server.port());
    }

    RawClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** A GET with Host, read back. */
    Resp get(String target) throws IOException {
        send("GET " + target + " HTTP/1.1\r\nHost: test\r\n\r\n");
        return read();
    }

    Resp read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head} says it answers a HEAD (no content follows). */
    Resp read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) throw new IOException("connection closed before a response");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1."))
            throw new IOException("not a status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        List<String[]> headers = new ArrayList<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.add(new String[] {
                l.substring(0, colon).trim(), l.substring(colon + 1).trim()
            });
        }
        Resp r = new Resp(statusLine, status, headers, new byte[0]);
        if (head || status < 200 || status == 204 || status == 304) return r;
        String te = r.header("Transfer-Encoding");
        String cl = r.header("Content-Length");
        byte[] body;
        if (te != null && te.equalsIgnoreCase("chunked")) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        /* trailers */
                    }
                    break;
                }
                b.write(Clients.readExactly(in, n));
                if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
            }
            body = b.toByteArray();
        } else if (cl != null) {
            body = Clients.readExactly(in, Integer.parseInt(cl));
        } else {
            body = in.readAllBytes();
        }
        return new Resp(statusLine, status, headers, body);
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                if (b.isEmpty() || b.charAt(b.length() - 1) != '\r') throw new IOException("bare LF from server: " + b);
                b.setLength(b.length() - 1);
                return b.toString();
            }
            b.append((char) c);
        }
        if (b.isEmpty()) return null;
        throw new IOException("connection closed mid-line: " + b);
    }

    /** Whether the server closed the connection (end of stream or reset) within 3 s, with no further bytes. */
    boolean closedByServer() throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(3000);
        try {
            int b = in.read();
            if (b != -1) throw new IOException("unexpected byte " + b + " where the connection should have closed");
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        } finally {
            socket.setSoTimeout(old);
        }
    }

    /** Whether the connection is still open: nothing arrives within {@code millis}, and no end of stream. */
    boolean staysOpen(int millis) throws IOException {
        int old = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            int b = in.read();
            if (b != -1) throw new IOException("unexpected byte " + b);
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (SocketException e) {
            return false;
        } finally {
            socket.setSoTimeout(old);
        }
    }

    InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    record Resp(String statusLine, int status, List<String[]> headers, byte[] body) {
        String header(String name) {
            for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) return h[1];
            return null;
        }

        List<String> headers(String name) {
            List<String> out = new ArrayList<>();
            for (String[] h : headers) if (h[0].equalsIgnoreCase(name)) out.add(h[1]);
            return out;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        boolean says(String header, String token) {
            String v = header(header);
            return v != null && v.toLowerCase(Locale.ROOT).contains(token.toLowerCase(Locale.ROOT));
        }
    }
}
