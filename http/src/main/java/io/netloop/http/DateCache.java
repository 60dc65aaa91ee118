package io.netloop.http;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The current time as HTTP writes it (IMF-fixdate, RFC 9110 §5.6.7) and as access logs do,
 * formatted at most once per second: every response needs a Date field, and formatting a
 * date per response would cost more than the rest of the head.
 *
 * <p>Checks the clock's second on each call instead of running a timer, so an idle loop
 * does no work for it. Also parses the dates clients send (If-Modified-Since, If-Range).
 *
 * <p>Threading: one per event loop, used only on that loop's thread.
 */
final class DateCache {
    static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter CLF =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private long second = Long.MIN_VALUE;
    private String http;
    private String log;

    /** Now, as an IMF-fixdate: {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    String http() {
        refresh();
        return http;
    }

    /** Now, as the common log format writes it: {@code 06/Nov/1994:08:49:37 +0000}. */
    String log() {
        refresh();
        return log;
    }

    private void refresh() {
        long now = System.currentTimeMillis() / 1000;
        if (now == second) return;
        second = now;
        Instant t = Instant.ofEpochSecond(now);
        http = IMF_FIXDATE.format(t);
        log = CLF.format(t);
    }

    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * Parses an HTTP-date: IMF-fixdate, or the obsolete RFC 850 and asctime forms RFC 9110
     * §5.6.7 obliges a recipient to accept.
     *
     * @return seconds since the epoch, or -1 when {@code s} is not a date (the field is then ignored)
     */
    static long parse(String s) {
        if (s == null) return -1;
        s = s.trim();
        for (DateTimeFormatter f : PARSERS) {
            try {
                return Instant.from(f.parse(s)).getEpochSecond();
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return -1;
    }

    private static final DateTimeFormatter[] PARSERS = {
        IMF_FIXDATE,
        DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC),
        DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC),
    };
}
