package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.head;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever arrives, the parser answers with a result: no exception escapes and it never stalls. */
class RobustnessTest {
    private static final List<byte[]> SEEDS = List.of(
            bytes(head("GET /a/b?c=d HTTP/1.1", "Host: example.com", "Connection: close")),
            bytes(head("POST /p HTTP/1.1", "Host: a", "Content-Length: 5") + "hello"),
            bytes(head("PUT /c HTTP/1.1", "Host: a", "Transfer-Encoding: chunked")
                    + "3;e=\"v\"\r\nabc\r\n0\r\nT: 1\r\n\r\n"),
            bytes(head("OPTIONS * HTTP/1.0") + head("CONNECT h:443 HTTP/1.1", "Host: h:443")));
    private static final byte[] INTERESTING = bytes("\r\n :;,\"\\%/.0aF\t\u0000\u007f\u00ff-");
    private static final HttpLimits SMALL = new HttpLimits(64, 128, 8, 64, 16);

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] b = Arrays.copyOf(seed, seed.length);
        for (int n = random.nextInt(1, 6); n > 0 && b.length > 0; n--) {
            int at = random.nextInt(b.length);
            byte with = INTERESTING[random.nextInt(INTERESTING.length)];
            switch (random.nextInt(3)) {
                case 0 -> b[at] = with;
                case 1 -> {
                    byte[] longer = new byte[b.length + 1];
                    System.arraycopy(b, 0, longer, 0, at);
                    longer[at] = with;
                    System.arraycopy(b, at, longer, at + 1, b.length - at);
                    b = longer;
                }
                default -> {
                    byte[] shorter = new byte[b.length - 1];
                    System.arraycopy(b, 0, shorter, 0, at);
                    System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
                    b = shorter;
                }
            }
        }
        return b;
    }

    private static int[] randomCuts(Random random, int length) {
        return random.ints(random.nextInt(0, 8), 0, length + 1).sorted().toArray();
    }

    @Test
    void mutatedRequestsGetAResultWhereverTheyAreCut() {
        Random random = new Random(20250101);
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] input = mutate(SEEDS.get(random.nextInt(SEEDS.size())), random);
            HttpLimits limits = random.nextBoolean() ? HttpLimits.DEFAULT : SMALL;
            ParserDriver.Transcript cut = ParserDriver.feed(limits, input, randomCuts(random, input.length));
            assertThat(cut).as("input %s", Arrays.toString(input)).isEqualTo(ParserDriver.feed(limits, input));
        }
    }

    @Test
    void randomBytesGetAResult() {
        Random random = new Random(42);
        for (int trial = 0; trial < 5_000; trial++) {
            byte[] input = new byte[random.nextInt(0, 300)];
            random.nextBytes(input);
            ParserDriver.Transcript t = ParserDriver.feed(SMALL, input, randomCuts(random, input.length));
            assertThat(t.messages()).isEmpty();
        }
    }
}
