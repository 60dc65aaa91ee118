package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Methods are tokens (RFC 9110 §9.1). */
class MethodTest {

    @Test
    void ofReturnsTheConstantForAStandardMethod() {
        assertThat(Method.of("GET")).isSameAs(Method.GET);
        assertThat(Method.of("PATCH")).isSameAs(Method.PATCH);
    }

    @Test
    void extensionMethodEqualsAnotherOfTheSameName() {
        assertThat(Method.of("PURGE")).isEqualTo(new Method("PURGE"));
    }

    @Test
    void methodsAreCaseSensitive() {
        assertThat(Method.of("get")).isNotEqualTo(Method.GET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "GE T", "GE(T", "G\u00c9T", "GET\r", "GET:"})
    void nonTokenIsNotAMethod(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Method(name));
    }
}
