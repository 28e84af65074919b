package dev.lain.build;

/** The images LAIN makes of one app version, each tagged {@code <phase>-<meta version>}. */
public enum Phase {
  /** The app built on its base (or prepare) image: sources and build script output. */
  BUILD,
  /** What runs in the cluster: the build image, or {@code release.copy} on {@code dest_base}. */
  RELEASE,
  /** {@code FROM scratch} with only {@code /lain.yaml}; the cluster reads the app spec from it. */
  META,
  /** The build image with {@code test.script} run on it. */
  TEST;

  /** {@code build}, {@code release}, {@code meta} or {@code test}. */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code <phase>-<meta version>}. */
  public String tag(MetaVersion version) {
    return word() + "-" + version;
  }
}
