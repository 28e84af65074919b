package dev.lain.model.console;

import java.time.Instant;

/**
 * One change of an app's deployed version.
 *
 * @param version 1 for the app's first deploy, +1 for every later change
 * @param action {@code deploy}, {@code upgrade}, {@code rollback} or {@code undeploy}
 * @param previousMetaVersion what ran before (empty for a first deploy)
 */
public record HistoryEntry(
    long version,
    String metaVersion,
    String previousMetaVersion,
    String action,
    String user,
    Instant time) {}
