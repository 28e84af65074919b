package dev.lain.spec;

/** {@code apptype}: ordinary apps run; resource apps are templates instantiated per client. */
public enum AppType {
  APP,
  RESOURCE
}
