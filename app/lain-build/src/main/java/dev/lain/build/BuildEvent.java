package dev.lain.build;

import java.util.Objects;

/** What {@link LainBuilder} reports while it works, for the CLI to print. */
public sealed interface BuildEvent {

  /** A stage begins or is skipped, e.g. {@code building hello:build-...}, {@code reusing ...}. */
  record Stage(String message) implements BuildEvent {
    public Stage {
      Objects.requireNonNull(message, "message");
    }
  }

  /** One line of {@code docker build} output (step headers, the scripts' own output). */
  record Output(String image, String line) implements BuildEvent {
    public Output {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(line, "line");
    }
  }

  /**
   * A pull or push status change of one layer ({@code Preparing}, {@code Pushed}, {@code Layer
   * already exists}, ...) or of the whole image ({@code layer} empty, e.g. the final digest).
   * Byte-count updates are not reported, only changes of status.
   */
  record Progress(String image, String layer, String status) implements BuildEvent {
    public Progress {
      Objects.requireNonNull(image, "image");
      Objects.requireNonNull(layer, "layer");
      Objects.requireNonNull(status, "status");
    }
  }
}
