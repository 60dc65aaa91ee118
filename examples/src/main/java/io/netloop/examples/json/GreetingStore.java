package io.netloop.examples.json;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where greetings live: here a map that answers slowly, standing in for a database or a remote
 * service whose client blocks (JDBC, a blocking HTTP client). Each call blocks its thread.
 *
 * <p>Owned by the API. Threading: thread-safe; calls block, so they belong on virtual threads
 * (or workers), never on an event loop.
 */
public final class GreetingStore {
    private final Map<String, Greeting> greetings = new ConcurrentHashMap<>();
    private final Duration latency;

    /** @param latency how long each call blocks, as a database round trip would */
    public GreetingStore(Duration latency) {
        this.latency = latency;
    }

    public Optional<Greeting> find(String name) throws InterruptedException {
        Thread.sleep(latency);
        return Optional.ofNullable(greetings.get(name));
    }

    public void save(Greeting greeting) throws InterruptedException {
        Thread.sleep(latency);
        greetings.put(greeting.name(), greeting);
    }
}
