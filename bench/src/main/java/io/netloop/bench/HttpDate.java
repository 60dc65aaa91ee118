package io.netloop.bench;

import io.netty.util.AsciiString;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (RFC 9110 section 6.6.1: an origin server with a clock must
 * send it), formatted at most once per second rather than once per response. nginx sends
 * it too, so leaving it out would make the peers' responses differ in size and work.
 *
 * <p>Threading: any thread. The cached pair is one immutable object behind a volatile field;
 * two threads that see a new second at once both format it, and either result is right.
 */
final class HttpDate {
    private record Stamp(long second, AsciiString value) {}

    // IMF-fixdate; not RFC_1123_DATE_TIME, which writes day 3 as "3" where HTTP wants "03".
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private static volatile Stamp stamp = new Stamp(-1, AsciiString.EMPTY_STRING);

    private HttpDate() {}

    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp s = stamp;
        if (s.second != second) {
            s = new Stamp(second, new AsciiString(IMF_FIXDATE.format(Instant.ofEpochSecond(second))));
            stamp = s;
        }
        return s.value;
    }
}
