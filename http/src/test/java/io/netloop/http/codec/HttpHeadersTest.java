package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The header multimap: ordered, case-insensitive names, comma lists. */
class HttpHeadersTest {

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders h = new HttpHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) h.add(namesAndValues[i], namesAndValues[i + 1]);
        return h;
    }

    @Test
    void containsTokenReadsEveryFieldOfThatName() {
        HttpHeaders h = headers("Connection", "Upgrade", "Other", "close", "connection", " Keep-Alive ");
        assertThat(h.containsToken("Connection", "keep-alive")).isTrue();
        assertThat(h.containsToken("Connection", "upgrade")).isTrue();
        assertThat(h.containsToken("Connection", "close")).isFalse();
    }

    @Test
    void containsTokenMatchesWholeElementsOnly() {
        assertThat(headers("Connection", "closed").containsToken("Connection", "close"))
                .isFalse();
    }

    @Test
    void fieldsCannotBeChangedFromOutside() {
        HttpHeaders h = headers("A", "1");
        assertThatThrownBy(() -> h.fields().add(new HeaderField("B", "2")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void sizeCountsFieldLines() {
        assertThat(headers("A", "1", "a", "2").size()).isEqualTo(2);
        assertThat(new HttpHeaders().isEmpty()).isTrue();
    }
}
