package io.netloop.cli;

/**
 * The HAProxy configuration of docs/deploy.md, made for given ports: a frontend that
 * balances requests round-robin over netloop instances and takes an instance out as soon as
 * its {@code /_netloop/readyz} fails (one failed check, every 500 ms), so that a draining
 * instance stops getting work before it stops accepting. {@link HaproxyTest} runs it and
 * checks that the document shows exactly {@code of(8080, 8081, 8082)}.
 *
 * <p>Threading: stateless.
 */
final class HaproxyConfig {
    private HaproxyConfig() {}

    /**
     * The configuration for a frontend on {@code front} and instances on {@code backends}.
     * With {@code proxyV2}, each connection to an instance, health checks included, starts
     * with a PROXY v2 header carrying the client's address (instances run with
     * {@code --proxy-protocol --trusted-proxy 127.0.0.1}).
     */
    static String of(int front, boolean proxyV2, int... backends) {
        StringBuilder servers = new StringBuilder();
        for (int i = 0; i < backends.length; i++) {
            servers.append("    server n")
                    .append(i + 1)
                    .append(" 127.0.0.1:")
                    .append(backends[i])
                    .append(" check")
                    .append(proxyV2 ? " send-proxy-v2" : "")
                    .append('\n');
        }
        return """
            global
                maxconn 4096

            defaults
                mode http
                timeout connect 2s
                timeout client 30s
                timeout server 30s
                timeout check 2s
                retries 3
                option redispatch

            frontend www
                bind 127.0.0.1:%d
                default_backend netloop

            backend netloop
                balance roundrobin
                option httpchk GET /_netloop/readyz
                http-check expect status 200
                default-server inter 500ms fall 1 rise 2
            %s\
            """.formatted(front, servers);
    }

    static String of(int front, int... backends) {
        return of(front, false, backends);
    }
}
