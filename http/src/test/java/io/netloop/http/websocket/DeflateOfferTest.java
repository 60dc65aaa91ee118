package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Negotiating permessage-deflate (RFC 7692 §7.1) from the server's side. */
class DeflateOfferTest {
    private static DeflateOffer negotiate(String... fields) {
        return DeflateOffer.negotiate(List.of(fields));
    }

    @Test
    void aPlainOfferIsAccepted() {
        assertThat(negotiate("permessage-deflate").responseValue()).isEqualTo("permessage-deflate");
    }

    @Test
    void whatBrowsersSendIsAccepted() {
        assertThat(negotiate("permessage-deflate; client_max_window_bits").responseValue())
                .isEqualTo("permessage-deflate");
    }

    @Test
    void noContextTakeoverIsHonouredBothWays() {
        DeflateOffer o = negotiate("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
        assertThat(o.serverNoContextTakeover()).isTrue();
        assertThat(o.clientNoContextTakeover()).isTrue();
        assertThat(o.responseValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover; client_no_context_takeover");
    }

    @Test
    void aSmallerServerWindowIsDeclinedAndTheNextOfferTaken() {
        assertThat(negotiate("permessage-deflate; server_max_window_bits=10")).isNull();
        assertThat(negotiate("permessage-deflate; server_max_window_bits=10, permessage-deflate;"
                                + " server_no_context_takeover")
                        .responseValue())
                .isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(negotiate("permessage-deflate; server_max_window_bits=15")).isNotNull();
        assertThat(negotiate("permessage-deflate; server_max_window_bits=\"15\""))
                .isNotNull();
    }

    @Test
    void malformedOffersAreDeclined() {
        assertThat(negotiate("permessage-deflate; client_max_window_bits=7")).isNull();
        assertThat(negotiate("permessage-deflate; client_max_window_bits=016")).isNull();
        assertThat(negotiate("permessage-deflate; server_no_context_takeover; server_no_context_takeover"))
                .isNull();
        assertThat(negotiate("permessage-deflate; server_no_context_takeover=1"))
                .isNull();
        assertThat(negotiate("permessage-deflate; unknown_parameter")).isNull();
        assertThat(negotiate("x-webkit-deflate-frame")).isNull();
        assertThat(negotiate()).isNull();
    }

    @Test
    void offersAcrossSeveralFieldLinesAreRead() {
        assertThat(negotiate("foo", "permessage-deflate; client_max_window_bits=12"))
                .isNotNull();
    }
}
