package dev.lain.records.deployd;

/** A record with the store revision it was last written at (for compare-and-set). */
public record Versioned<T>(T value, long modRevision) {}
