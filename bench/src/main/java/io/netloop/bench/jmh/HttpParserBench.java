package io.netloop.bench.jmh;

import io.netloop.core.buffer.Buffer;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.ParseResult;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Requests parsed per second, and bytes per second (the {@code bytes} counter), for three
 * request shapes: wrk's minimal GET, a browser's GET with a dozen fields, and a chunked POST.
 *
 * <p>Threading: JMH runs each benchmark thread with its own state ({@code Scope.Thread}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class HttpParserBench {
    static final String WRK = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";
    static final String BROWSER = """
        GET /assets/app.js?v=3 HTTP/1.1\r
        Host: www.example.com\r
        User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36\r
        Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8\r
        Accept-Language: en-US,en;q=0.9\r
        Accept-Encoding: gzip, deflate, br, zstd\r
        Referer: https://www.example.com/index.html\r
        Cookie: session=0123456789abcdef0123456789abcdef; theme=dark; consent=yes\r
        Sec-Fetch-Dest: script\r
        Sec-Fetch-Mode: no-cors\r
        Sec-Fetch-Site: same-origin\r
        Connection: keep-alive\r
        If-None-Match: "5f2a-1a2b3c"\r
        \r
        """;
    static final String CHUNKED = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n"
            + "400\r\n" + "a".repeat(1024) + "\r\n" + "100;ext=1\r\n" + "b".repeat(256) + "\r\n0\r\n\r\n";

    @Param({"wrk", "browser", "chunked"})
    public String shape;

    private byte[] request;
    private Buffer buffer;
    private HttpParser parser;

    /** Bytes parsed, reported by JMH as a rate beside the requests per second. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Bytes {
        public long bytes;

        @Setup(Level.Iteration)
        public void reset() {
            bytes = 0;
        }
    }

    @Setup
    public void setUp() {
        String s = switch (shape) {
            case "wrk" -> WRK;
            case "browser" -> BROWSER;
            case "chunked" -> CHUNKED;
            default -> throw new IllegalArgumentException(shape);
        };
        request = s.getBytes(StandardCharsets.ISO_8859_1);
        buffer = new Buffer(request.length * 2);
        parser = new HttpParser();
    }

    @Benchmark
    public int parse(Bytes counter) {
        buffer.clear();
        buffer.append(request);
        int parts = 0;
        for (ParseResult r; (r = parser.parse(buffer)) != ParseResult.MESSAGE_COMPLETE; parts++) {
            if (r == ParseResult.ERROR || r == ParseResult.NEED_MORE) {
                throw new IllegalStateException(shape + ": the parser said " + r + " (" + parser.error() + ")");
            }
        }
        counter.bytes += request.length;
        return parts;
    }
}
