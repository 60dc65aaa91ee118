package io.netloop.core.udp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.FailureRule;
import io.netloop.core.transport.Datagram;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A bound UDP socket on one {@link EventLoop}: each datagram goes to a
 * {@link DatagramHandler} with its sender; {@link #send} sends one to any address.
 *
 * <pre>{@code
 * UdpSocket echo = UdpSocket.builder()
 *         .bind(new InetSocketAddress("127.0.0.1", 9009))
 *         .option(NetOption.SO_RCVBUF, 4 << 20)
 *         .handler((socket, sender, data) -> socket.send(sender, data))
 *         .open(loop);
 * }</pre>
 *
 * <ul>
 *   <li>Reads up to {@link DatagramConfig#readBudget} datagrams per wake-up, in batches of
 *       {@link DatagramConfig#batchSize} per recvmmsg on epoll (NIO: one per call);
 *       edge-triggered, it comes back after the loop's batch for more.</li>
 *   <li>{@link #send} sends at once when nothing is queued. When the kernel says EAGAIN the
 *       datagram is copied into a queue, EPOLLOUT is enabled, and the queue is flushed with
 *       sendmmsg once writable. Replies sent by the handler while a receive batch is
 *       delivered are queued too and leave together, in one sendmmsg after the batch.</li>
 *   <li>The queue is bounded ({@link DatagramConfig#maxQueuedBytes}): when it is full,
 *       {@link #send} drops the datagram, returns false and counts it
 *       ({@link Stats#dropped}), as the kernel drops datagrams it has no room for. Nothing
 *       blocks and memory stays bounded.</li>
 *   <li>A datagram the kernel refuses (EMSGSIZE, EACCES...) goes to
 *       {@link DatagramHandler#onError} with its destination; the socket stays open.</li>
 * </ul>
 *
 * <p>Owns its {@link DatagramSocket} (descriptor and native batch memory), released by
 * {@link #close}; the loop closes it when it stops. Threading: state belongs to the loop
 * thread; {@link #send}, {@link #close()}, {@link #stats()} and the getters may be called
 * from any thread (a send off the loop copies the bytes and hands them to the loop).
 */
public final class UdpSocket implements AutoCloseable {
    private final EventLoop loop;
    private final DatagramSocket socket;
    private final Channel channel;
    private final DatagramHandler handler;
    private final DatagramConfig config;
    private final InetSocketAddress local;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private final DatagramSocket.Sink sink = this::received;
    private final Runnable readAgain = this::readAgain;
    private long queuedBytes;
    private volatile boolean open;
    /** A receive batch is being delivered: replies wait in the queue for one sendmmsg after it. */
    private boolean delivering;

    private boolean truncationReported;

    // Counters: written by the loop thread only, read anywhere (maybe slightly stale), as LoopStats.
    private long datagramsIn, bytesIn, datagramsOut, bytesOut, receiveCalls, sendCalls, dropped, truncated, errors;

    private UdpSocket(EventLoop loop, DatagramSocket socket, DatagramHandler handler, DatagramConfig config) {
        this.loop = loop;
        this.socket = socket;
        this.handler = handler;
        this.config = config;
        this.local = socket.localAddress();
        this.channel = loop.newChannel(socket, this::onReady);
    }

    public static Builder builder() {
        return new Builder();
    }

    public EventLoop loop() {
        return loop;
    }

    /** The bound address; with port 0, the port the kernel chose. Any thread. */
    public InetSocketAddress localAddress() {
        return local;
    }

    /** The transport's socket underneath. Loop thread. */
    DatagramSocket socket() {
        return socket;
    }

    public boolean isOpen() {
        return open;
    }

    /** Datagrams waiting to be sent. Loop thread (elsewhere: a monitoring read). */
    public int queuedDatagrams() {
        return queue.size();
    }

    /** Sets a socket option now. Loop thread. */
    public <T> void setOption(NetOption<T> option, T value) throws IOException {
        loop.assertInLoop();
        socket.set(option, value);
    }

    /** Reads a socket option (SO_RCVBUF reads back what the kernel made of the request: Linux doubles it). Loop thread. */
    public <T> T option(NetOption<T> option) throws IOException {
        loop.assertInLoop();
        return socket.get(option);
    }

    private void start() {
        loop.assertInLoop();
        updateInterest(); // registers; on failure the caller closes the socket
        open = true;
        loop.own(this);
    }

    // --- events (loop thread) ------------------------------------------------------------

    private void onReady(int ops) {
        if (!open) return;
        if ((ops & Interest.ERROR) != 0) reportSocketError();
        if ((ops & Interest.WRITE) != 0) flush();
        if (open && (ops & Interest.READ) != 0) handleRead();
        if (open) updateInterest();
    }

    private void updateInterest() {
        channel.setInterest(Interest.READ | (queue.isEmpty() ? 0 : Interest.WRITE));
    }

    /** EPOLLERR: a pending error (an ICMP report on a connected path); reading SO_ERROR clears it. */
    private void reportSocketError() {
        IOException e;
        try {
            int errno = socket.fd() >= 0 ? io.netloop.core.sys.linux.Net.socketError(socket.fd()) : 0;
            if (errno == 0) return;
            e = new io.netloop.core.sys.ErrnoException("socket", errno);
        } catch (IOException failed) {
            e = failed;
        }
        failed(null, e);
    }

    private void readAgain() {
        if (open) {
            handleRead();
            if (open) updateInterest();
        }
    }

    private void handleRead() {
        int budget = config.readBudget();
        while (open && budget > 0) {
            int want = Math.min(budget, socket.batchSize());
            int n;
            delivering = true;
            try {
                n = socket.receive(sink, want);
            } catch (IOException e) {
                failed(null, e);
                n = 0;
            } finally {
                delivering = false;
            }
            receiveCalls++;
            if (!queue.isEmpty()) flush();
            // A short batch drained the socket: a new datagram raises a new event, even edge-triggered.
            if (n < want) return;
            budget -= n;
        }
        if (open && channel.isEdgeTriggered()) loop.runLater(readAgain);
    }

    private void received(InetSocketAddress sender, Buffer data, boolean cut) {
        if (!open) return; // closed by the handler earlier in this batch
        if (cut) {
            truncated++;
            if (!truncationReported) {
                truncationReported = true;
                failed(
                        sender,
                        new IOException("dropped a datagram longer than maxDatagramSize (" + config.maxDatagramSize()
                                + " bytes); raise it to receive such datagrams (reported once, counted in"
                                + " stats().truncated())"));
            }
            return;
        }
        datagramsIn++;
        bytesIn += data.readableBytes();
        loop.stats().countBytes(data.readableBytes(), 0);
        try {
            handler.onDatagram(this, sender, data);
        } catch (Throwable t) {
            // A handler bug for one datagram: reported, and the socket serves the next one.
            FailureRule.survive(t, "onDatagram of " + this);
            loop.reportFailure("handling a datagram from " + sender + " on " + this, t);
        }
    }

    private void failed(InetSocketAddress peer, IOException e) {
        errors++;
        try {
            handler.onError(this, peer, e);
        } catch (Throwable t) {
            FailureRule.survive(t, "onError of " + this);
            loop.reportFailure("onError of " + this, t);
        }
    }

    // --- sending -------------------------------------------------------------------------

    /**
     * Sends {@code src[off, off+len)} as one datagram to {@code to}: now when nothing is
     * queued, otherwise after what is. From another thread the bytes are copied and sent by
     * the loop.
     *
     * @return true when sent or queued (off the loop thread: handed over); false when the
     *     socket is closed, the queue is full (the datagram is dropped and counted), or the
     *     kernel refused it (reported to {@link DatagramHandler#onError})
     */
    public boolean send(InetSocketAddress to, byte[] src, int off, int len) {
        Objects.requireNonNull(to, "to");
        Objects.checkFromIndexSize(off, len, src.length);
        if (!loop.inLoop()) {
            byte[] copy = Arrays.copyOfRange(src, off, off + len);
            try {
                loop.execute(() -> send(to, copy, 0, copy.length));
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                return false; // the loop has terminated, and closed this socket with it
            }
            return true;
        }
        if (!open) return false;
        if (delivering || !queue.isEmpty()) return enqueue(to, src, off, len);
        boolean sent;
        try {
            sent = socket.send(to, src, off, len);
        } catch (IOException e) {
            sendCalls++;
            failed(to, e);
            return false;
        }
        sendCalls++;
        if (sent) {
            sent(len);
            return true;
        }
        boolean queued = enqueue(to, src, off, len);
        updateInterest();
        return queued;
    }

    public boolean send(InetSocketAddress to, byte[] data) {
        return send(to, data, 0, data.length);
    }

    /** Sends and consumes {@code data}'s readable bytes. */
    public boolean send(InetSocketAddress to, Buffer data) {
        boolean ok = send(to, data.array(), data.readerIndex(), data.readableBytes());
        data.clear();
        return ok;
    }

    private boolean enqueue(InetSocketAddress to, byte[] src, int off, int len) {
        long charge = (long) len + DatagramConfig.QUEUE_OVERHEAD;
        if (queuedBytes + charge > config.maxQueuedBytes()) {
            dropped++;
            return false;
        }
        queue.addLast(new Datagram(to, Arrays.copyOfRange(src, off, off + len)));
        queuedBytes += charge;
        return true;
    }

    /** Sends from the queue in batches until it is empty or the kernel has no room. */
    private void flush() {
        while (!queue.isEmpty()) {
            int n;
            try {
                n = socket.send(queue);
            } catch (IOException e) {
                sendCalls++;
                Datagram refused = dequeue();
                failed(refused.address(), e);
                continue;
            }
            sendCalls++;
            if (n == 0) return; // no room: EPOLLOUT reports when there is
            for (int i = 0; i < n; i++) sent(dequeue().data().length);
        }
    }

    private Datagram dequeue() {
        Datagram d = queue.pollFirst();
        queuedBytes -= d.data().length + DatagramConfig.QUEUE_OVERHEAD;
        return d;
    }

    private void sent(int len) {
        datagramsOut++;
        bytesOut += len;
        loop.stats().countBytes(0, len);
    }

    // --- life cycle ----------------------------------------------------------------------

    /** Closes the socket, dropping queued datagrams, and frees its memory. Any thread; idempotent. */
    @Override
    public void close() {
        if (!loop.inLoop()) {
            try {
                loop.execute(this::close);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // The loop has terminated: it closed everything it owned.
            }
            return;
        }
        if (!open) return;
        open = false;
        loop.disown(this);
        channel.remove();
        dropped += queue.size();
        queue.clear();
        queuedBytes = 0;
        try {
            socket.close();
        } catch (IOException e) {
            loop.reportFailure("closing " + socket, e);
        }
        try {
            handler.onClose(this);
        } catch (Throwable t) {
            FailureRule.survive(t, "onClose of " + this);
            loop.reportFailure("onClose of " + this, t);
        }
    }

    /** A copy of the counters. Any thread (a monitoring read: may be slightly stale off the loop). */
    public Stats stats() {
        return new Stats(
                datagramsIn, bytesIn, datagramsOut, bytesOut, receiveCalls, sendCalls, dropped, truncated, errors);
    }

    /**
     * @param receiveCalls receive system calls (recvmmsg on epoll), those that found nothing included
     * @param sendCalls send system calls (sendto, sendmmsg)
     * @param dropped datagrams not sent: the queue was full, or the socket closed with them queued
     * @param truncated datagrams received longer than maxDatagramSize, dropped
     * @param errors errors reported to the handler
     */
    public record Stats(
            long datagramsIn,
            long bytesIn,
            long datagramsOut,
            long bytesOut,
            long receiveCalls,
            long sendCalls,
            long dropped,
            long truncated,
            long errors) {
        /** How many datagrams each receive call brought on average: above 1 only with batching. */
        public double datagramsPerReceiveCall() {
            return receiveCalls == 0 ? 0 : (double) datagramsIn / receiveCalls;
        }

        public double datagramsPerSendCall() {
            return sendCalls == 0 ? 0 : (double) datagramsOut / sendCalls;
        }

        public Stats plus(Stats o) {
            return new Stats(
                    datagramsIn + o.datagramsIn,
                    bytesIn + o.bytesIn,
                    datagramsOut + o.datagramsOut,
                    bytesOut + o.bytesOut,
                    receiveCalls + o.receiveCalls,
                    sendCalls + o.sendCalls,
                    dropped + o.dropped,
                    truncated + o.truncated,
                    errors + o.errors);
        }
    }

    @Override
    public String toString() {
        return "UdpSocket[" + local + ", " + loop.transport().name() + (open ? "" : ", closed") + "]";
    }

    /** How to open a {@link UdpSocket}; every limit has a bounded default. Not thread-safe. */
    public static final class Builder {
        private InetSocketAddress bind;
        private SocketConfig options = SocketConfig.EMPTY;
        private DatagramConfig config = DatagramConfig.DEFAULT;
        private DatagramHandler handler;

        /** The address to bind; port 0 lets the kernel choose. Default: 127.0.0.1, port 0. */
        public Builder bind(InetSocketAddress address) {
            if (address.isUnresolved())
                throw new IllegalArgumentException("unresolved address " + address + ": resolve the host first");
            this.bind = address;
            return this;
        }

        public Builder bind(String host, int port) throws IOException {
            return bind(new InetSocketAddress(InetAddress.getByName(host), port));
        }

        /** SO_RCVBUF, SO_SNDBUF, SO_REUSEPORT, SO_BROADCAST...: set before bind. */
        public <T> Builder option(NetOption<T> option, T value) {
            options = options.with(option, value);
            return this;
        }

        /** Replaces every option set so far with {@code options}. */
        public Builder options(SocketConfig options) {
            this.options = Objects.requireNonNull(options);
            return this;
        }

        public Builder config(DatagramConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        public Builder handler(DatagramHandler handler) {
            this.handler = Objects.requireNonNull(handler);
            return this;
        }

        /**
         * Opens, binds and registers the socket on {@code loop}; returns once it receives.
         * Any thread (on the loop's own, it registers at once).
         *
         * @throws io.netloop.core.sys.ErrnoException EADDRINUSE and the rest, naming the address
         */
        public UdpSocket open(EventLoop loop) throws IOException {
            if (handler == null) throw new IllegalStateException("no handler: call handler(...) before open(loop)");
            InetSocketAddress address =
                    bind != null ? bind : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramSocket ds = loop.transport().openDatagram(address, options, config);
            UdpSocket s = new UdpSocket(loop, ds, handler, config);
            CompletableFuture<Void> started = new CompletableFuture<>();
            try {
                loop.runInLoop(() -> {
                    try {
                        s.start();
                        started.complete(null);
                    } catch (RuntimeException e) {
                        started.completeExceptionally(e);
                    }
                });
                started.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closeUnstarted(ds, e);
                throw new IOException("interrupted while opening a UDP socket on " + address, e);
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                closeUnstarted(ds, cause);
                throw new IOException(
                        "could not register a UDP socket on " + address + " with " + loop + ": " + cause.getMessage(),
                        cause);
            }
            return s;
        }

        private static void closeUnstarted(DatagramSocket ds, Throwable cause) {
            try {
                ds.close();
            } catch (IOException e) {
                cause.addSuppressed(e);
            }
        }
    }
}
