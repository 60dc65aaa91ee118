package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.codec.Method;
import io.netloop.http.codec.RequestTarget;
import org.junit.jupiter.api.Test;

/** The routing policy: what the router decides for each request, before any handler runs. */
class RouterTest {
    private final Router router = new Router();
    private final Handler ok = (req, res) -> res.send("ok");

    private RouteMatch decide(Method method, String target) {
        return router.decide(method, RequestTarget.parse(method, target));
    }

    @Test
    void aMatchingRouteIsChosenWithItsParameterValues() {
        Route users = router.add(Method.GET, "/users/{id}", ok);
        RouteMatch d = decide(Method.GET, "/users/42");
        assertThat(d.route()).isSameAs(users);
        assertThat(d.values()).containsExactly("42");
        assertThat(d.status()).isZero();
    }

    @Test
    void theFirstMatchingRouteWins() {
        Route first = router.add(Method.GET, "/a/*", ok);
        router.add(Method.GET, "/a/b", ok);
        assertThat(decide(Method.GET, "/a/b").route()).isSameAs(first);
    }

    @Test
    void headFallsBackToTheGetRoute() {
        Route get = router.add(Method.GET, "/page", ok);
        assertThat(decide(Method.HEAD, "/page").route()).isSameAs(get);
    }

    @Test
    void aPathNoRouteMatchesIs404WithoutAllow() {
        router.add(Method.GET, "/page", ok);
        RouteMatch d = decide(Method.GET, "/other");
        assertThat(d.found()).isFalse();
        assertThat(d.status()).isEqualTo(404);
        assertThat(d.allow()).isNull();
    }

    @Test
    void aPathRoutedOnlyForOtherMethodsIs405WithAllow() {
        router.add(Method.GET, "/page", ok);
        router.add(Method.DELETE, "/page", ok);
        RouteMatch d = decide(Method.POST, "/page");
        assertThat(d.status()).isEqualTo(405);
        assertThat(d.allow()).isEqualTo("GET, HEAD, DELETE, OPTIONS");
    }

    @Test
    void optionsOnARoutedPathIs204WithAllow() {
        router.add(Method.POST, "/form", ok);
        RouteMatch d = decide(Method.OPTIONS, "/form");
        assertThat(d.status()).isEqualTo(204);
        assertThat(d.allow()).isEqualTo("POST, OPTIONS");
    }

    @Test
    void optionsOnAnUnroutedPathIs404() {
        router.add(Method.POST, "/form", ok);
        assertThat(decide(Method.OPTIONS, "/nothing").status()).isEqualTo(404);
    }

    @Test
    void optionsAsteriskIs204WithEveryMethodSomeRouteTakes() {
        router.add(Method.GET, "/a", ok);
        router.add(Method.PUT, "/b", ok);
        RouteMatch d = decide(Method.OPTIONS, "*");
        assertThat(d.status()).isEqualTo(204);
        assertThat(d.allow()).isEqualTo("GET, HEAD, PUT, OPTIONS");
    }

    @Test
    void traceIs405EvenWhereARouteTakesAnyMethod() {
        router.add(null, "/any", ok);
        RouteMatch d = decide(Method.TRACE, "/any");
        assertThat(d.found()).isFalse();
        assertThat(d.status()).isEqualTo(405);
        assertThat(d.allow()).doesNotContain("TRACE");
    }

    @Test
    void connectIs405WithTheMethodsOfTheWholeServer() {
        router.add(Method.GET, "/a", ok);
        RouteMatch d = decide(Method.CONNECT, "example.com:443");
        assertThat(d.status()).isEqualTo(405);
        assertThat(d.allow()).isEqualTo("GET, HEAD, OPTIONS");
    }
}
