package io.netloop.apps.echo;

import io.netloop.core.file.DescriptorLimit;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.TcpServer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An echo server in a process of its own whose descriptor limit is just above what it
 * already uses, for {@link FdExhaustionTest}. Prints {@code PORT n} when ready; stops when its
 * standard input closes.
 *
 * <p>Threading: main thread only; the server runs on its loop.
 */
public final class FdLimitedEchoMain {
    public static void main(String[] args) throws Exception {
        IoMode io = IoMode.parse(args[0]);
        int headroom = Integer.parseInt(args[1]);
        try (TcpServer server = EchoServer.start("127.0.0.1", 0, io)) {
            // One round trip first, so every class the server needs is loaded (loading may need descriptors).
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write('w');
                if (s.getInputStream().read() != 'w') throw new IOException("warm-up echo failed");
            }
            System.getLogger(FdLimitedEchoMain.class.getName()).log(System.Logger.Level.INFO, "logging warmed up");
            Thread.sleep(100);
            long open = openDescriptors();
            DescriptorLimit.setSoft(open + headroom);
            System.out.println("PORT " + server.port() + " LIMIT " + (open + headroom));
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
