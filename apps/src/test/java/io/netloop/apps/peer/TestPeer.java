package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.TestDescriptors;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

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
    private final TestDescriptors.TestPipe pipe;
    private final int pipeRead;
    private final PipedOutputStream memory;
    private final InputStream stream;
    private boolean inputClosed;

    private TestPeer(PeerNode.Config config, boolean piped) throws IOException {
        InputStream stream;
        if (piped) {
            pipe = TestDescriptors.pipe();
            pipeRead = pipe.readFd();
            memory = null;
            // The same pipe as a stream, for the fallback thread where the poller cannot watch it (NIO).
            stream = pipe.readEnd();
        } else {
            pipe = null;
            pipeRead = -1;
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
            pipe.write(b);
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
        else if (pipe != null) pipe.closeWriteEnd();
    }

    private void closePipe() throws IOException {
        stream.close();
        if (pipe != null) pipe.close();
    }

    /** Types /exit and waits for the node to stop. */
    void exit() throws Exception {
        type("/exit");
        awaitStopped();
    }

    void awaitStopped() throws Exception {
        assertThat(node.awaitExit(Duration.ofSeconds(20)))
                .as("node stopped; printed:\n%s", out)
                .isTrue();
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
