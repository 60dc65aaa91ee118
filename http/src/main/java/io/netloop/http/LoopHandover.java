package io.netloop.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How a handler on a worker or a virtual thread uses its {@link Response}: each call runs on
 * the exchange's loop, which owns the connection, and the handler's thread waits for it. Only
 * off-loop handlers come here, so what it allocates (a task, a future) costs nothing on the
 * loop's own path.
 *
 * <p>Threading: called from threads other than the loop's.
 */
final class LoopHandover {
    private LoopHandover() {}

    /** Runs {@code call} on the loop and waits for its result, or its exception. */
    static <T> T call(Exchange exchange, Callable<T> call) {
        try {
            return callIo(exchange, call);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #call}, letting an {@link IOException} through. */
    static <T> T callIo(Exchange exchange, Callable<T> call) throws IOException {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            exchange.loop().execute(() -> {
                try {
                    f.complete(call.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("the server is stopping: " + exchange + " is closed", e);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a response to the loop", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** Waits until {@code f} completes or the exchange's connection closes. */
    static void await(Exchange exchange, CompletableFuture<Void> f) {
        // isOpen is read off the loop here: a stale answer costs one more wait of 100 ms.
        while (!f.isDone() && exchange.connection().isOpen()) {
            try {
                f.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // check that the connection is still open, then wait again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                return;
            }
        }
    }
}
