package io.netloop.core.tls;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionFilter;
import java.io.IOException;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Server-side TLS for one connection: the JDK's {@link SSLEngine} driven on the loop thread,
 * between the socket's bytes and the handler's plaintext.
 *
 * <ul>
 *   <li>The handshake runs inside {@link #inbound}: each call unwraps what arrived and wraps
 *       the replies, until the engine needs more bytes.</li>
 *   <li>Delegated tasks (key exchange, signatures: a millisecond or two of CPU) run right
 *       there on the loop. Handing them to an executor would add a thread hop, a re-arm and
 *       a second owner of the engine for work shorter than a scheduling quantum; the
 *       handshake timeout bounds a peer that makes many handshakes anyway.</li>
 *   <li>Renegotiation is refused: a TLS 1.2 peer that starts a handshake after the first one
 *       is closed (RFC 5746 makes it safe, but nothing here needs it and it costs CPU on
 *       demand). TLS 1.3 has no renegotiation; its post-handshake messages (tickets, key
 *       updates) pass.</li>
 *   <li>The peer's close_notify ends the input ({@link #inboundDone}); ours goes out before
 *       FIN ({@link #closeOutbound}).</li>
 * </ul>
 *
 * <p>Buffers are the connection's: the engine reads and writes their arrays through
 * {@link ByteBuffer#wrap}, so nothing is copied besides the cipher's own work.
 *
 * <p>Owned by one connection. Threading: its loop thread.
 */
public final class TlsFilter implements ConnectionFilter {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SSLEngine engine;
    private final long handshakeTimeoutNanos;
    private boolean established;
    private boolean renegotiationRefused;
    private boolean inboundDone;

    TlsFilter(SSLEngine engine, long handshakeTimeoutNanos) {
        this.engine = engine;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
    }

    @Override
    public void inbound(Buffer raw, Buffer plain, Buffer wire) throws IOException {
        try {
            for (; ; ) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (established && renegotiationRefused && hs != HandshakeStatus.NOT_HANDSHAKING) {
                    if (hs == HandshakeStatus.NEED_TASK) refuseInTheEngine(wire);
                    throw new SSLHandshakeException("TLS 1.2 renegotiation refused");
                }
                switch (hs) {
                    case NEED_TASK -> runDelegatedTasks();
                    case NEED_WRAP -> {
                        if (!wrap(NOTHING, wire)) return;
                    }
                    default -> { // NEED_UNWRAP, NEED_UNWRAP_AGAIN, NOT_HANDSHAKING
                        if (raw.isEmpty() && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) return;
                        if (!unwrap(raw, plain, wire)) return;
                    }
                }
            }
        } catch (SSLException e) {
            sayWhy(wire);
            throw e;
        }
    }

    /**
     * Lets the engine read the client's new hello: with no version left in common (see
     * {@link #handshakeFinished}) it fails there, before any key exchange, and queues a fatal
     * {@code protocol_version} alert under the session's keys. Its first wrap reports the
     * failure; {@link #sayWhy} then sends the alert. A client (and a scanner such as
     * testssl.sh) sees the refusal as an error, where a bare {@code close_notify} looked like a
     * peer that had simply hung up after renegotiating.
     */
    private void refuseInTheEngine(Buffer wire) {
        runDelegatedTasks();
        try {
            wrap(NOTHING, wire);
        } catch (SSLException refused) {
            // Expected: the engine refused the hello; its alert is still queued.
        }
    }

    /** After a failure the engine holds an alert for the peer: put it on the wire for the connection's last write. */
    private void sayWhy(Buffer wire) {
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                if (!wrap(NOTHING, wire)) break;
            }
        } catch (SSLException alreadyBroken) {
            // The engine cannot even say why: the connection closes with the first failure, which is the one to report.
        }
    }

    /** @return true when there may be more to do, false when the engine needs more bytes or is closed */
    private boolean unwrap(Buffer raw, Buffer plain, Buffer wire) throws SSLException {
        plain.ensureWritable(engine.getSession().getApplicationBufferSize());
        ByteBuffer src = ByteBuffer.wrap(raw.array(), raw.readerIndex(), raw.readableBytes());
        ByteBuffer dst = ByteBuffer.wrap(plain.array(), plain.writerIndex(), plain.writableBytes());
        SSLEngineResult r = engine.unwrap(src, dst);
        raw.skip(r.bytesConsumed());
        plain.hasWritten(r.bytesProduced());
        switch (r.getStatus()) {
            case OK -> {
                if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) handshakeFinished();
                // Nothing moved and nothing to do: wait for more bytes rather than ask again.
                return r.bytesConsumed() > 0
                        || r.bytesProduced() > 0
                        || r.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING;
            }
            case BUFFER_UNDERFLOW -> {
                return false; // a partial record: the rest comes with the next read
            }
            case BUFFER_OVERFLOW -> {
                plain.ensureWritable(2 * engine.getSession().getApplicationBufferSize());
                return true;
            }
            case CLOSED -> {
                inboundDone = true;
                // TLS 1.2 answers close_notify with its own at once; the engine asks for that wrap.
                while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && wrap(NOTHING, wire)) {
                    // loop until the engine has said all it has to
                }
                return false;
            }
            default -> throw new AssertionError(r.getStatus());
        }
    }

    /** @return false when the engine's output is closed */
    private boolean wrap(ByteBuffer src, Buffer wire) throws SSLException {
        for (; ; ) {
            wire.ensureWritable(engine.getSession().getPacketBufferSize());
            ByteBuffer dst = ByteBuffer.wrap(wire.array(), wire.writerIndex(), wire.writableBytes());
            SSLEngineResult r = engine.wrap(src, dst);
            wire.hasWritten(r.bytesProduced());
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() == HandshakeStatus.FINISHED) handshakeFinished();
                    return true;
                }
                case BUFFER_OVERFLOW ->
                    wire.ensureWritable(2 * engine.getSession().getPacketBufferSize());
                case CLOSED -> {
                    return false;
                }
                default -> throw new SSLException("unexpected wrap result " + r);
            }
        }
    }

    private void handshakeFinished() {
        established = true;
        renegotiationRefused = "TLSv1.2".equals(engine.getSession().getProtocol());
        // Per engine, not the JVM-wide jdk.tls.rejectClientInitiatedRenegotiation: a TLS 1.2 client's new
        // hello then finds no version in common and the engine itself answers it with a fatal alert.
        // The session in use keeps its version; only a later handshake on this engine is affected.
        if (renegotiationRefused) engine.setEnabledProtocols(new String[] {"TLSv1.3"});
    }

    private void runDelegatedTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }

    @Override
    public void outbound(byte[] src, int off, int len, Buffer wire) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(src, off, len);
        while (in.hasRemaining()) {
            if (!wrap(in, wire))
                throw new SSLException("TLS output already closed; " + in.remaining() + " bytes not sent");
        }
    }

    @Override
    public boolean established() {
        return established;
    }

    @Override
    public boolean inboundDone() {
        return inboundDone;
    }

    @Override
    public void closeOutbound(Buffer wire) throws IOException {
        engine.closeOutbound();
        while (!engine.isOutboundDone()) {
            if (!wrap(NOTHING, wire)) break;
        }
    }

    @Override
    public long establishTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    /** The negotiated ALPN protocol: null before the handshake, "" when none was. */
    public String applicationProtocol() {
        return engine.getApplicationProtocol();
    }

    /** The negotiated protocol version ("TLSv1.3"). */
    public String protocol() {
        return engine.getSession().getProtocol();
    }

    public String cipherSuite() {
        return engine.getSession().getCipherSuite();
    }
}
