package dev.lain.build;

import java.io.PrintWriter;
import java.util.Objects;

/**
 * Receives {@link BuildEvent}s as they happen, on the calling thread or on docker-java's callback
 * thread (never two at once for one call).
 */
@FunctionalInterface
public interface BuildListener {
  /** Ignores everything. */
  BuildListener NONE = event -> {};

  void on(BuildEvent event);

  /**
   * Prints stages as {@code ==> message}, build output as it comes, and progress as {@code <layer>:
   * <status>}; flushes after each event.
   */
  static BuildListener printingTo(PrintWriter out) {
    Objects.requireNonNull(out, "out");
    return event -> {
      switch (event) {
        case BuildEvent.Stage stage -> out.println("==> " + stage.message());
        case BuildEvent.Output output -> out.println(output.line());
        case BuildEvent.Progress progress ->
            out.println(
                progress.layer().isEmpty()
                    ? progress.status()
                    : progress.layer() + ": " + progress.status());
      }
      out.flush();
    };
  }
}
