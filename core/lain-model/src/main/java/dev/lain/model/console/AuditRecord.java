package dev.lain.model.console;

import java.time.Instant;

/**
 * One mutating request, allowed or refused. Holds no token and no request body.
 *
 * @param user the caller, or {@code anonymous} without a valid token
 * @param app the app the request is about, empty if none
 * @param action what was asked, e.g. {@code app.deploy}, {@code proc.scale}
 * @param message the answer's short message
 */
public record AuditRecord(
    Instant time,
    String user,
    String method,
    String path,
    String app,
    String action,
    int status,
    String message) {}
