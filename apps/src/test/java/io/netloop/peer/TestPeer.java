package io.netloop.peer;

import io.netloop.core.IoMode;
import io.netloop.sys.Fds;
import io.netloop.sys.Net;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link PeerNode} under test, its input typed by the test: through a real pipe (a
 * descriptor the poller watches, as a shell's pipe into standard input) or an in-memory
 * stream (read on the fallback thread).
 *
 * <p>Threading: the test thread types and closes; the node runs on its own loop.
 */
final class TestPeer implements AutoCloseable {
    final Transcript out = new Transcript();
    final PeerNode node;
    private final int pipeRead;
    private final int pipeWrite;
    private final PipedOutputStream memory;
    private final InputStream stream;
    private boolean inputClosed;

    private TestPeer(PeerNode.Config config, boolean pipe) throws IOException {
        InputStream stream;
        if (pipe) {
            int[] ends = Fds.pipe();
            pipeRead = ends[0];
            pipeWrite = ends[1];
            memory = null;
            // The same pipe as a stream, for the fallback thread where the poller cannot watch it (NIO).
            stream = new FileInputStream("/proc/self/fd/" + pipeRead);
        } else {
            pipeRead = -1;
            pipeWrite = -1;
            memory = new PipedOutputStream();
            stream = new PipedInputStream(memory, 64 * 1024);
        }
        this.stream = stream;
        try {
            node = PeerNode.start(config, pipeRead, stream, out.stream);
        } catch (IOException | RuntimeException e) {
            closeInput();
            closePipe();
            throw e;
        }
    }

    /** A short linger: raw test peers often stay open while the node exits. */
    static PeerNode.Config config(String name) {
        return PeerNode.Config.of(name, "127.0.0.1", 0).withLinger(Duration.ofMillis(300));
    }

    /** Input through a pipe, on the poller. */
    static TestPeer piped(String name) throws IOException {
        return piped(name, IoMode.EPOLL);
    }

    static TestPeer piped(String name, IoMode io) throws IOException {
        return new TestPeer(config(name).withIo(io), true);
    }

    static TestPeer piped(PeerNode.Config config) throws IOException {
        return new TestPeer(config, true);
    }

    /** Input from an in-memory stream, on the fallback thread. */
    static TestPeer inMemory(String name) throws IOException {
        return new TestPeer(config(name), false);
    }

    int port() {
        return node.localAddress().getPort();
    }

    /** Types one line (the line end is added). */
    void type(String line) throws IOException {
        byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
        if (memory != null) {
            memory.write(b);
            memory.flush();
        } else {
            Net.writeBlocking(pipeWrite, b, 0, b.length);
        }
    }

    void connectTo(TestPeer other) throws Exception {
        type("/connect 127.0.0.1:" + other.port());
    }

    /** Ends the input (Ctrl-D). */
    void closeInput() throws IOException {
        if (inputClosed) return;
        inputClosed = true;
        if (memory != null) memory.close();
        else if (pipeWrite >= 0) Fds.close(pipeWrite);
    }

    private void closePipe() throws IOException {
        stream.close();
        if (pipeRead >= 0) Fds.close(pipeRead);
    }

    /** Types /exit and waits for the node to stop. */
    void exit() throws Exception {
        type("/exit");
        awaitStopped();
    }

    void awaitStopped() throws Exception {
        assertThat(node.awaitExit(Duration.ofSeconds(20))).as("node stopped; printed:\n%s", out).isTrue();
        assertThat(out.lines()).last().isEqualTo("* bye");
    }

    @Override
    public void close() throws Exception {
        try {
            node.close();
        } finally {
            closeInput();
            closePipe();
        }
    }
}
