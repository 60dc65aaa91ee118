package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.AcceptMode;
import io.netloop.testing.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The HTTP server on four loops: every loop serves, each with its own per-loop resources. */
@ExtendWith(LeakCheck.class)
class MultiLoopServerTest {

    @ParameterizedTest
    @EnumSource(AcceptMode.class)
    void fourLoopsServeConcurrentKeepAliveClients(AcceptMode accept) throws Exception {
        Set<EventLoop> servedBy = ConcurrentHashMap.newKeySet();
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/who", (req, res) -> {
                    for (EventLoop l : s.tcp().loops()) if (l.inLoop()) servedBy.add(l);
                    res.send("ok");
                }),
                b -> b.threads(4).accept(accept));
        try (server;
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> clients = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                clients.add(pool.submit(() -> {
                    int ok = 0;
                    try (RawClient c = RawClient.connect(server)) {
                        for (int r = 0; r < 20; r++) {
                            RawClient.Resp resp = c.get("/who");
                            if (resp.status() == 200 && resp.header("Date") != null) ok++;
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : clients)
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(20);
            assertThat(server.tcp().loops()).hasSize(4);
            assertThat(servedBy).hasSize(4);
        }
    }
}
