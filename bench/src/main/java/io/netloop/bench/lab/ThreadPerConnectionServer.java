package io.netloop.bench.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;

/**
 * Blocking I/O, one thread per connection: the model of seed 003's first servers. With
 * platform threads each idle connection holds a kernel thread (and its stack) asleep in read;
 * with virtual threads the JDK parks them and waits for readiness itself (on epoll, through
 * its own poller threads).
 *
 * <p>Threading: one acceptor thread; one thread (platform or virtual) per connection.
 */
final class ThreadPerConnectionServer implements LabServer.Model {
    private final ThreadFactory threads;
    private ServerSocket server;

    ThreadPerConnectionServer(boolean virtual) {
        this.threads = virtual
                ? Thread.ofVirtual().name("lab-conn-", 0).factory()
                : Thread.ofPlatform()
                        .name("lab-conn-", 0)
                        .stackSize(256 * 1024)
                        .daemon()
                        .factory();
    }

    @Override
    public int start(String host, int port) throws IOException {
        server = new ServerSocket(port, 4096, InetAddress.getByName(host));
        Thread.ofPlatform().name("lab-accept").daemon().start(this::acceptLoop);
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) System.err.println("lab: accept: " + e.getMessage());
                continue;
            }
            threads.newThread(() -> serve(s)).start();
        }
    }

    private static void serve(Socket s) {
        PlainResponder responder = new PlainResponder();
        byte[] buf = new byte[8192];
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            s.setTcpNoDelay(true);
            for (int n; (n = in.read(buf)) > 0; ) {
                int requests = responder.requestsEndingIn(buf, 0, n);
                if (requests > 0) out.write(PlainResponder.responses(requests));
            }
        } catch (IOException e) {
            // A peer that resets (wrk at its end, the idle holder when it stops) ends this connection only.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
