package io.netloop.bench.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Non-blocking sockets and no readiness API: one thread tries accept and read on every socket
 * in turn, forever (seed 002's first server, before it found epoll). It answers as fast as a
 * loop can, and burns a whole core even when nothing happens; each idle connection costs one
 * failed read per turn.
 *
 * <p>Threading: one spinning thread owns every socket.
 */
final class BusyPollServer implements LabServer.Model {
    private ServerSocketChannel server;
    private volatile boolean running = true;
    private Thread spinner;

    private record Conn(SocketChannel ch, PlainResponder responder) {}

    @Override
    public int start(String host, int port) throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(host, port), 4096);
        server.configureBlocking(false);
        spinner = Thread.ofPlatform().name("lab-spin").daemon().start(this::spin);
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    private void spin() {
        List<Conn> conns = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(8192);
        byte[] bytes = new byte[8192];
        while (running) {
            try {
                for (SocketChannel ch; (ch = server.accept()) != null; ) {
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    conns.add(new Conn(ch, new PlainResponder()));
                }
            } catch (IOException e) {
                System.err.println("lab: accept: " + e.getMessage());
            }
            for (int i = conns.size() - 1; i >= 0; i--) {
                Conn c = conns.get(i);
                try {
                    buf.clear();
                    int n = c.ch().read(buf);
                    if (n < 0) throw new IOException("end of stream");
                    if (n == 0) continue;
                    buf.flip();
                    buf.get(bytes, 0, n);
                    int requests = c.responder().requestsEndingIn(bytes, 0, n);
                    if (requests > 0) {
                        ByteBuffer out = ByteBuffer.wrap(PlainResponder.responses(requests));
                        while (out.hasRemaining()) c.ch().write(out); // spins on a full socket, as such servers do
                    }
                } catch (IOException e) {
                    try {
                        c.ch().close();
                    } catch (IOException ignored) {
                        // closing a socket that already failed: nothing more to learn
                    }
                    conns.set(i, conns.get(conns.size() - 1));
                    conns.remove(conns.size() - 1);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        try {
            spinner.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
    }
}
