/**
 * netloop's examples: small programs that use it as a library, each a main class with a test
 * that talks to it as a client would. Not published.
 */
module io.netloop.examples {
    requires io.netloop.http;
    requires tools.jackson.databind;

    // Jackson reads and writes the JSON example's records by reflection.
    opens io.netloop.examples.json to
            tools.jackson.databind;
}
