package io.netloop.examples.lines;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class LineServerTest {

    @Test
    void answersEachCommandAndSaysByeOnQuit() throws Exception {
        try (TcpServer server = LineServer.start(0);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("HELLO");
            // Two commands in one write, and one split over two writes: lines, not reads, count.
            out.write("PING\nECHO two in one\nUPP".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).isEqualTo("PONG");
            assertThat(in.readLine()).isEqualTo("two in one");
            out.write("ER split\nFLY\nquit\n".getBytes(StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("SPLIT");
            assertThat(in.readLine()).isEqualTo("ERR unknown command: FLY");
            assertThat(in.readLine()).isEqualTo("BYE");
            assertThat(in.readLine()).isNull();
        }
    }

    @Test
    void aLineWithoutEndIsRefusedPastTheLimit() throws Exception {
        try (TcpServer server = LineServer.start(0);
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            in.readLine();
            s.getOutputStream().write(new byte[CommandHandler.MAX_LINE + 1]);
            assertThat(in.readLine()).isEqualTo("ERR line longer than 1024 bytes");
            assertThat(in.readLine()).isNull();
        }
    }
}
