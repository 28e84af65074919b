/**
 * The webrouter's nginx configuration as a pure function of the routes: {@link
 * dev.lain.router.render.NginxRenderer#render} turns a {@link dev.lain.router.render.RouteTable}
 * (what the store says should be served) and {@link dev.lain.router.render.RouterSettings} (where
 * this router listens) into the text of one file for nginx's {@code http} block. No I/O, no clock:
 * the router process writes the file, tests it and reloads nginx.
 */
package dev.lain.router.render;
