package dev.lain.spec;

/** Transport protocol of a port. */
public enum Protocol {
  TCP,
  UDP
}
