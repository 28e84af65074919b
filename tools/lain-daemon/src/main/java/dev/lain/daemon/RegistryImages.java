package dev.lain.daemon;

import dev.lain.api.ErrorCode;
import dev.lain.build.BuildException;
import dev.lain.build.ImageRef;
import dev.lain.build.MetaVersion;
import dev.lain.build.Phase;
import dev.lain.build.RegistryClient;
import dev.lain.console.AppImages;
import dev.lain.console.ConsoleException;
import java.util.List;
import java.util.Optional;

/**
 * The console's view of the cluster registry: LAIN's meta and release images of each app. The image
 * names given to deployd use the registry's address as the nodes reach it.
 */
public final class RegistryImages implements AppImages {
  private final String registry;
  private final RegistryClient client;

  public RegistryImages(String registry) {
    this.registry = registry;
    this.client = RegistryClient.forRegistry(registry);
  }

  @Override
  public List<String> metaVersions(String app) {
    try {
      return client.metaVersions(app).stream().map(MetaVersion::toString).toList();
    } catch (BuildException e) {
      if (e.code() == BuildException.Code.REPOSITORY_UNKNOWN) {
        return List.of();
      }
      throw unavailable(e);
    }
  }

  @Override
  public Optional<String> lainYaml(String app, String metaVersion) {
    Optional<MetaVersion> version = MetaVersion.tryParse(metaVersion);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(client.lainYaml(app, version.get()));
    } catch (BuildException e) {
      if (e.code() == BuildException.Code.REPOSITORY_UNKNOWN
          || e.code() == BuildException.Code.TAG_UNKNOWN
          || e.code() == BuildException.Code.NOT_A_META_IMAGE) {
        return Optional.empty();
      }
      throw unavailable(e);
    }
  }

  @Override
  public Optional<String> releaseImage(String app, String metaVersion) {
    Optional<MetaVersion> version = MetaVersion.tryParse(metaVersion);
    if (version.isEmpty()) {
      return Optional.empty();
    }
    ImageRef release = ImageRef.of(app, Phase.RELEASE, version.get());
    try {
      if (!client.hasTag(app, release.tag())) {
        return Optional.empty();
      }
    } catch (BuildException e) {
      if (e.code() == BuildException.Code.REPOSITORY_UNKNOWN) {
        return Optional.empty();
      }
      throw unavailable(e);
    }
    return Optional.of(release.inRegistry(registry).reference());
  }

  private ConsoleException unavailable(BuildException e) {
    return new ConsoleException(
        ErrorCode.UNAVAILABLE,
        "the cluster registry at " + registry + " cannot be read: " + e.getMessage());
  }
}
