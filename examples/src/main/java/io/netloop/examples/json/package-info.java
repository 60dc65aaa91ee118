/**
 * A JSON API (Jackson) whose handlers make blocking calls, on virtual threads.
 *
 * <p>Threading: the handlers run on virtual threads (route mode {@code VIRTUAL}), one per
 * request, so they may block; the store they share is thread-safe.
 */
package io.netloop.examples.json;
