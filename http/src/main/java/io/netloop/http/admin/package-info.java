/**
 * Operating an {@link io.netloop.http.HttpServer} in production: health probes
 * ({@code /healthz}, {@code /readyz}), metrics in the Prometheus text format
 * ({@code /metrics}) and a live dashboard fed by server-sent events ({@code /dashboard}),
 * either under a path prefix on the server's own port or on a separate admin port.
 * {@link io.netloop.http.admin.Admin} puts them in place.
 *
 * <p>The numbers are the server's own counters ({@link io.netloop.http.HttpServer#stats()}),
 * written by each loop thread into plain fields and read here as a monitoring read (a moment
 * stale at worst): scraping costs the loops nothing.
 *
 * <p>Threading: the endpoints are handlers like any other, run on the loop of the server
 * that serves them; {@link io.netloop.http.admin.Admin}'s life-cycle methods from the thread
 * that runs the servers.
 */
package io.netloop.http.admin;
