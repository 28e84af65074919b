package dev.lain.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A registry held in memory: per app, per meta_version, a lain.yaml and maybe a release image. */
final class FakeImages implements AppImages {
  private record Version(String lainYaml, Optional<String> release) {}

  private final Map<String, Map<String, Version>> apps = new ConcurrentHashMap<>();

  /** Pushes meta and release images of {@code version}. */
  FakeImages push(String app, String version, String lainYaml) {
    apps.computeIfAbsent(app, a -> new LinkedHashMap<>())
        .put(version, new Version(lainYaml, Optional.of(release(app, version))));
    return this;
  }

  /** Pushes only the meta image (a build that was not released). */
  FakeImages pushMetaOnly(String app, String version, String lainYaml) {
    apps.computeIfAbsent(app, a -> new LinkedHashMap<>())
        .put(version, new Version(lainYaml, Optional.empty()));
    return this;
  }

  static String release(String app, String version) {
    return "registry.lain.local/" + app + ":release-" + version;
  }

  @Override
  public List<String> metaVersions(String app) {
    // Oldest first on purpose: the console must order them itself.
    return new ArrayList<>(apps.getOrDefault(app, Map.of()).keySet());
  }

  @Override
  public Optional<String> lainYaml(String app, String metaVersion) {
    return Optional.ofNullable(apps.getOrDefault(app, Map.of()).get(metaVersion))
        .map(Version::lainYaml);
  }

  @Override
  public Optional<String> releaseImage(String app, String metaVersion) {
    return Optional.ofNullable(apps.getOrDefault(app, Map.of()).get(metaVersion))
        .flatMap(Version::release);
  }
}
