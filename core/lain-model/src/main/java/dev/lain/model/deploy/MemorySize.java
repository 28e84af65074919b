package dev.lain.model.deploy;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A memory limit as LAIN writes it ({@code 64m}, {@code 1G}: m = MiB, g = GiB) and in bytes, within
 * {@link Limits}.
 *
 * @param text the value as written
 */
public record MemorySize(String text, long bytes) {
  private static final Pattern SIZE = Pattern.compile("([1-9][0-9]*)([mMgG])");

  /** LAIN's default. */
  public static final MemorySize DEFAULT = new MemorySize("32m", 32L << 20);

  public MemorySize {
    Objects.requireNonNull(text, "text");
    Limits.require("memory", Limits.memoryProblem(bytes, text));
  }

  /** Reads {@code text}, or says why it is not a memory limit (without naming the field). */
  public static Parsed parse(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      return new Parsed(
          Optional.empty(), Optional.of("\"" + text + "\" must match <n>[mMgG], e.g. 256m or 1g"));
    }
    int shift = m.group(2).equalsIgnoreCase("g") ? 30 : 20;
    String digits = m.group(1);
    // Anything with more digits than 1024g is over the limit anyway; this keeps the shift safe.
    long amount = digits.length() > 12 ? Long.MAX_VALUE >> shift : Long.parseLong(digits);
    long bytes = Math.min(amount, Long.MAX_VALUE >> shift) << shift;
    Optional<String> problem = Limits.memoryProblem(bytes, text);
    return problem.isPresent()
        ? new Parsed(Optional.empty(), problem)
        : new Parsed(Optional.of(new MemorySize(text, bytes)), Optional.empty());
  }

  /** The shortest LAIN text for {@code bytes} ({@code 64m}, {@code 2g}), else the byte count. */
  public static String format(long bytes) {
    if (bytes % (1L << 30) == 0) {
      return (bytes >> 30) + "g";
    }
    if (bytes % (1L << 20) == 0) {
      return (bytes >> 20) + "m";
    }
    return Long.toString(bytes);
  }

  /** A parsed size or why it is not one. */
  public record Parsed(Optional<MemorySize> size, Optional<String> problem) {}
}
