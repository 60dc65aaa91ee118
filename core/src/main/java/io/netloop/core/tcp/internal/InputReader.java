package io.netloop.core.tcp.internal;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;

/**
 * Reads a socket into a buffer within a byte budget per wake-up, so that one fast peer
 * cannot starve the others on its loop (seed 001's note on starvation).
 *
 * <p>Threading: stateless.
 */
public final class InputReader {
    /** Reads smaller than this waste a system call; the buffer grows in steps of READ_CHUNK. */
    private static final int MIN_READ = 2048;

    private static final int READ_CHUNK = 16 * 1024;

    private InputReader() {}

    /** {@link #read}'s outcome. */
    public enum Outcome {
        /** The socket has nothing more now: a new event will say when it has. */
        DRAINED,
        /** The budget is spent with bytes perhaps left: edge-triggered, come back for them. */
        BUDGET_SPENT,
        /** The peer ended the stream (FIN). */
        END_OF_STREAM
    }

    /**
     * Reads into {@code in} until the socket is drained, the stream ends or {@code budget}
     * bytes were read; the bytes read are the growth of {@code in.readableBytes()}.
     *
     * @param toEnd the peer's FIN was reported: read until end of stream even after a short
     *     read (edge-triggered, the report does not come twice)
     * @throws IOException when the connection failed; what was read before stays in {@code in}
     */
    public static Outcome read(StreamSocket socket, Buffer in, int budget, boolean toEnd) throws IOException {
        for (; ; ) {
            if (in.writableBytes() < MIN_READ) in.ensureWritable(READ_CHUNK);
            int want = Math.min(in.writableBytes(), budget);
            int n = socket.read(in.array(), in.writerIndex(), want);
            if (n > 0) {
                in.hasWritten(n);
                budget -= n;
                if (budget <= 0) return Outcome.BUDGET_SPENT;
                // A short read drained the socket: new data would raise a new event, even edge-triggered.
                if (n < want && !toEnd) return Outcome.DRAINED;
            } else {
                return n == StreamSocket.EOF ? Outcome.END_OF_STREAM : Outcome.DRAINED;
            }
        }
    }
}
