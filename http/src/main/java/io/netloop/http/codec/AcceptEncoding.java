package io.netloop.http.codec;

/**
 * Chooses a content coding from a request's Accept-Encoding fields (RFC 9110 §12.5.3): the
 * coding with the highest weight among those the server has, read on the head's bytes, so
 * that a static file hit makes no String.
 *
 * <p>Codings are bits of a mask ({@link #GZIP}, {@link #BR}, {@link #ZSTD}); identity is what
 * {@link #choose} answers with 0. A coding is acceptable when listed with a weight above zero
 * ({@code x-gzip} counts as gzip), or, if not listed, when {@code *} is. On equal weights the
 * server prefers the smaller representation: brotli, then zstd, then gzip. No field at all
 * means identity, as does a field that refuses everything: a server may then answer 406,
 * but sending the plain representation is what clients expect (nginx and Apache do).
 *
 * <p>Threading: stateless; any thread.
 */
public final class AcceptEncoding {
    public static final int GZIP = 1, BR = 2, ZSTD = 4;

    /** In the order preferred on equal weights. */
    private static final int[] PREFERENCE = {BR, ZSTD, GZIP};

    private AcceptEncoding() {}

    /**
     * The coding to send among {@code available} (a mask), or 0 for identity.
     *
     * @param available the codings the server could send this representation in
     */
    public static int choose(HttpHeaders headers, int available) {
        if (available == 0) return 0;
        // Weights in thousandths; -1 when not listed.
        int gzip = -1, br = -1, zstd = -1, star = -1;
        String name = "Accept-Encoding";
        byte[] a = headers.array();
        for (int f = headers.indexOf(name, 0); f >= 0; f = headers.indexOf(name, f + 1)) {
            int i = headers.valueStart(f), end = headers.valueEnd(f);
            while (i < end) {
                // element = token [ OWS ";" OWS "q=" qvalue ] ...
                while (i < end && (a[i] == ',' || HttpChars.isWhitespace(a[i]))) i++;
                int ts = i;
                while (i < end && HttpChars.isTchar(a[i] & 0xFF)) i++;
                int te = i;
                int q = 1000;
                while (i < end && a[i] != ',') {
                    if (a[i] == ';') {
                        i++;
                        while (i < end && HttpChars.isWhitespace(a[i])) i++;
                        if (i + 1 < end && (a[i] | 0x20) == 'q' && a[i + 1] == '=') {
                            i += 2;
                            q = qvalue(a, i, end);
                        }
                    } else {
                        i++;
                    }
                }
                if (te == ts) continue;
                if (HttpChars.equalsIgnoreCase(a, ts, te, "gzip") || HttpChars.equalsIgnoreCase(a, ts, te, "x-gzip"))
                    gzip = Math.max(gzip, q);
                else if (HttpChars.equalsIgnoreCase(a, ts, te, "br")) br = Math.max(br, q);
                else if (HttpChars.equalsIgnoreCase(a, ts, te, "zstd")) zstd = Math.max(zstd, q);
                else if (te - ts == 1 && a[ts] == '*') star = Math.max(star, q);
            }
        }
        int best = 0, bestWeight = 0;
        for (int coding : PREFERENCE) {
            if ((available & coding) == 0) continue;
            int w = coding == GZIP ? gzip : coding == BR ? br : zstd;
            if (w < 0) w = star;
            if (w > bestWeight) {
                best = coding;
                bestWeight = w;
            }
        }
        return best;
    }

    /**
     * {@code qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths; a
     * malformed weight counts as 0, so that a coding the client did not clearly accept is not
     * sent.
     */
    private static int qvalue(byte[] a, int i, int end) {
        if (i >= end || (a[i] != '0' && a[i] != '1')) return 0;
        int whole = a[i++] - '0';
        int frac = 0, digits = 0;
        if (i < end && a[i] == '.') {
            i++;
            while (i < end && digits < 3 && HttpChars.isDigit(a[i])) {
                frac = frac * 10 + (a[i++] - '0');
                digits++;
            }
        }
        while (digits++ < 3) frac *= 10;
        int q = whole * 1000 + frac;
        return q > 1000 ? 0 : q;
    }

    /** The coding's name as Content-Encoding writes it. */
    public static String name(int coding) {
        return switch (coding) {
            case GZIP -> "gzip";
            case BR -> "br";
            case ZSTD -> "zstd";
            default -> throw new IllegalArgumentException("not a coding: " + coding);
        };
    }

    /** The file name suffix of a precompressed sibling in this coding. */
    public static String suffix(int coding) {
        return switch (coding) {
            case GZIP -> ".gz";
            case BR -> ".br";
            case ZSTD -> ".zst";
            default -> throw new IllegalArgumentException("not a coding: " + coding);
        };
    }
}
