package dev.lain.dockerdisk;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What LAIN needs in Docker's daemon.json on every node.
 *
 * @param dataRoot where Docker keeps images and containers (the prepared mount)
 * @param registryMirrors {@code --registry-mirror} URLs, e.g. {@code https://mirror.example}
 * @param insecureRegistries registries reached without TLS verification: the cluster's {@code
 *     registry.<domain>}, served by the webrouter with a cluster-made certificate
 * @param labels node labels ({@code key=value}) that replace an existing label with the same key
 * @param defaultLabels labels added only if daemon.json and {@code labels} lack their key: {@code
 *     group=default}, which {@code lainctl node change-labels} may have changed since
 */
public record DaemonSettings(
    Path dataRoot,
    List<String> registryMirrors,
    List<String> insecureRegistries,
    List<String> labels,
    List<String> defaultLabels) {

  private static final Pattern LABEL = Pattern.compile("[^=\\s]+=\\S*");

  public DaemonSettings {
    registryMirrors = List.copyOf(registryMirrors);
    insecureRegistries = List.copyOf(insecureRegistries);
    labels = List.copyOf(labels);
    defaultLabels = List.copyOf(defaultLabels);
    if (!dataRoot.isAbsolute()) {
      throw new IllegalArgumentException("data root: must be an absolute path: " + dataRoot);
    }
    for (String mirror : registryMirrors) {
      URI uri = URI.create(mirror);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "registry mirror: must be an http(s) URL, as Docker wants: " + mirror);
      }
    }
    for (String label : concat(labels, defaultLabels)) {
      if (!LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException("label: must be key=value: " + label);
      }
    }
  }

  /**
   * The settings of a node of the cluster at {@code domain}: {@code registry.<domain>}, every
   * plain-http mirror and {@code insecureNetworks} (CIDRs, e.g. the node network the cluster's
   * registry is reached in) as insecure registries (Docker would refuse them otherwise), and {@code
   * group=default} unless {@code nodeLabels} name a group.
   */
  public static DaemonSettings forCluster(
      String domain,
      Path dataRoot,
      List<String> registryMirrors,
      List<String> insecureNetworks,
      List<String> nodeLabels) {
    List<String> insecure = new ArrayList<>();
    insecure.add("registry." + domain);
    for (String mirror : registryMirrors) {
      URI uri = URI.create(mirror);
      if ("http".equals(uri.getScheme()) && uri.getHost() != null) {
        insecure.add(uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort());
      }
    }
    insecure.addAll(insecureNetworks);
    return new DaemonSettings(
        dataRoot, registryMirrors, insecure, nodeLabels, List.of("group=default"));
  }

  static String key(String label) {
    return label.substring(0, label.indexOf('='));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
