package dev.lain.runtime;

/**
 * What {@link ContainerRuntime#logs} returns of a container's output.
 *
 * @param follow keep the stream open and pass on new lines until the container stops or the reader
 *     closes the stream
 * @param tail only the last this many lines written before the call; {@link #ALL_LINES} for every
 *     line
 * @param timestamps start each line with the time it was written, as Docker does: RFC 3339 with
 *     nanoseconds in UTC and a space ({@code 2026-01-01T00:00:00.000000000Z hello})
 */
public record LogOptions(boolean follow, int tail, boolean timestamps) {
  /** {@link #tail}: every line the container wrote. */
  public static final int ALL_LINES = -1;

  public LogOptions {
    if (tail < ALL_LINES) {
      throw new IllegalArgumentException("tail must be a line count or ALL_LINES: " + tail);
    }
  }

  /** Every line so far, without timestamps, then the end of the stream. */
  public static LogOptions allLines() {
    return new LogOptions(false, ALL_LINES, false);
  }

  public LogOptions withFollow(boolean value) {
    return new LogOptions(value, tail, timestamps);
  }

  public LogOptions withTail(int lines) {
    return new LogOptions(follow, lines, timestamps);
  }

  public LogOptions withTimestamps(boolean value) {
    return new LogOptions(follow, tail, value);
  }
}
