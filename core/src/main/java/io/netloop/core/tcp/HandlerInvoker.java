package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.FailureRule;
import io.netloop.core.tcp.internal.SerialExecutor;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Calls a connection's {@link ConnectionHandler} where its {@link HandlerMode} says: on the
 * loop, or, one call at a time and in order, on workers or virtual threads. Every call goes
 * through the {@link FailureRule}: what the handler throws closes its connection (a fatal
 * error stops the process), and the loop goes on.
 *
 * <p>Offloaded, the handler owns the connection's input buffer while {@link #data} runs; the
 * connection is told on its loop when the call is over ({@link TcpConnection#offloadedDataDone}).
 *
 * <p>Threading: every method on the connection's loop thread; the offloaded calls themselves
 * run on the executor's threads.
 */
final class HandlerInvoker {
    private final TcpConnection connection;
    private final ConnectionHandler handler;
    /** Null: the handler runs on the loop. */
    private final SerialExecutor offload;

    private final Runnable dataOffloaded;
    private final Runnable dataDone;
    private Buffer offloadedInput;

    HandlerInvoker(TcpConnection connection, ConnectionHandler handler, Executor executor) {
        this.connection = connection;
        this.handler = handler;
        this.offload = executor == null ? null : new SerialExecutor(executor);
        this.dataOffloaded = offload == null ? null : this::dataOffloaded;
        this.dataDone = offload == null ? null : connection::offloadedDataDone;
    }

    boolean isOffloaded() {
        return offload != null;
    }

    void open() {
        if (offload != null) {
            offload.execute(() -> offloaded(Call.OPEN, 0));
            return;
        }
        try {
            handler.onOpen(connection);
        } catch (Throwable t) {
            failed(t, "onOpen");
        }
    }

    /**
     * On the loop: hands the input over. Offloaded: runs the call on the executor, which owns
     * the input until it ends.
     *
     * @return false when the handler failed on the loop (the connection is closed)
     */
    boolean data(Buffer input) {
        if (offload != null) {
            offloadedInput = input;
            offload.execute(dataOffloaded);
            return true;
        }
        try {
            handler.onData(connection, input);
            return true;
        } catch (Throwable t) {
            failed(t, "onData");
            return false;
        }
    }

    void inputClosed() {
        if (offload != null) {
            offload.execute(() -> offloaded(Call.INPUT_CLOSED, 0));
            return;
        }
        try {
            handler.onInputClosed(connection);
        } catch (Throwable t) {
            failed(t, "onInputClosed");
        }
    }

    void highWater(int queuedBytes) {
        if (offload != null) {
            offload.execute(() -> offloaded(Call.HIGH_WATER, queuedBytes));
            return;
        }
        try {
            handler.onHighWater(connection, queuedBytes);
        } catch (Throwable t) {
            failed(t, "onHighWater");
        }
    }

    void lowWater() {
        if (offload != null) {
            offload.execute(() -> offloaded(Call.LOW_WATER, 0));
            return;
        }
        try {
            handler.onLowWater(connection);
        } catch (Throwable t) {
            failed(t, "onLowWater");
        }
    }

    /** onClose, exactly once, then the server's count ({@link TcpConnection#closeListenerLast}): never throws. */
    void closed(Throwable cause) {
        if (offload == null) {
            closeNow(cause);
        } else {
            offload.execute(() -> closeNow(cause));
        }
    }

    private void closeNow(Throwable cause) {
        try {
            handler.onClose(connection, cause);
        } catch (Throwable t) {
            FailureRule.survive(t, "onClose of " + connection);
            connection.loop().reportFailure("onClose of " + connection, t);
        }
        connection.closeListenerLast();
    }

    private enum Call {
        OPEN,
        INPUT_CLOSED,
        HIGH_WATER,
        LOW_WATER
    }

    /** On a worker or virtual thread. */
    private void offloaded(Call call, int queuedBytes) {
        try {
            switch (call) {
                case OPEN -> handler.onOpen(connection);
                case INPUT_CLOSED -> handler.onInputClosed(connection);
                case HIGH_WATER -> handler.onHighWater(connection, queuedBytes);
                case LOW_WATER -> handler.onLowWater(connection);
            }
        } catch (Throwable t) {
            failedOffloaded(t, call.name());
        }
    }

    /** On a worker or virtual thread: the handler owns the input until it returns. */
    private void dataOffloaded() {
        try {
            handler.onData(connection, offloadedInput);
        } catch (Throwable t) {
            failedOffloaded(t, "onData");
        } finally {
            onLoop(dataDone);
        }
    }

    private void failed(Throwable t, String call) {
        FailureRule.survive(t, call + " of " + connection);
        // A connection closed already (by the handler itself, before it failed) reports nothing on close.
        if (connection.isOpen()) connection.close(t);
        else connection.loop().reportFailure(call + " of " + connection + ", closed before it failed", t);
    }

    private void failedOffloaded(Throwable t, String call) {
        FailureRule.survive(t, call + " of " + connection);
        onLoop(() -> {
            if (connection.isOpen()) connection.close(t);
            else connection.loop().reportFailure(call + " of " + connection + ", closed before it failed", t);
        });
    }

    private void onLoop(Runnable r) {
        EventLoop loop = connection.loop();
        try {
            loop.execute(r);
        } catch (RejectedExecutionException stopped) {
            // The loop stopped and closed the connection with everything it owned.
        }
    }
}
