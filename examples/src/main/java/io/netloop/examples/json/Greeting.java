package io.netloop.examples.json;

/**
 * A greeting as the API sends and receives it: {@code {"name":"ada","text":"Hello, ada!"}}.
 *
 * <p>Threading: immutable.
 *
 * @param name who is greeted
 * @param text what they are told
 */
public record Greeting(String name, String text) {}
