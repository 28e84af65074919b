package dev.lain.spec;

import java.util.Optional;

/** The kinds of proc. {@code oneshot} deploys like a worker (LAIN never implemented more). */
public enum ProcType {
  WEB("web"),
  WORKER("worker"),
  ONESHOT("oneshot"),
  PORTAL("portal");

  private final String word;

  ProcType(String word) {
    this.word = word;
  }

  /** As written in lain.yaml and in pod group names. */
  public String word() {
    return word;
  }

  public static Optional<ProcType> fromWord(String word) {
    for (ProcType type : values()) {
      if (type.word.equals(word)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
