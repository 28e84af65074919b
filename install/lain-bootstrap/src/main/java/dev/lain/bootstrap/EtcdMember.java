package dev.lain.bootstrap;

import java.util.List;
import java.util.Objects;

/**
 * The one etcd member bootstrap starts: Debian's etcd-server binary, supervised by us.
 *
 * @param name the member's name (the node name)
 * @param dataDir where etcd keeps its data ({@link Layout#ETCD_DATA})
 * @param clientUrls the URLs it serves clients on, loopback first (health is asked there)
 * @param advertiseClientUrl the client URL other nodes are told
 * @param peerUrl the URL it serves peers on, the node IP's port 2380
 * @param clusterToken keeps this cluster's members apart from another cluster's on the same net
 */
public record EtcdMember(
    String name,
    String dataDir,
    List<String> clientUrls,
    String advertiseClientUrl,
    String peerUrl,
    String clusterToken) {
  public static final String BINARY = "/usr/bin/etcd";

  public EtcdMember {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataDir, "dataDir");
    clientUrls = List.copyOf(clientUrls);
    Objects.requireNonNull(advertiseClientUrl, "advertiseClientUrl");
    Objects.requireNonNull(peerUrl, "peerUrl");
    Objects.requireNonNull(clusterToken, "clusterToken");
    if (clientUrls.isEmpty()) {
      throw new IllegalArgumentException("etcd needs a client URL");
    }
  }

  /**
   * The member of the node at {@code ip}: clients on 127.0.0.1 and the node IP, peers on the node
   * IP. The token is derived from the node name, so a re-run writes the same unit.
   */
  public static EtcdMember forNode(String name, String ip) {
    String client = "http://" + ip + ":" + Layout.ETCD_CLIENT_PORT;
    return new EtcdMember(
        name,
        Layout.ETCD_DATA,
        "127.0.0.1".equals(ip)
            ? List.of(client)
            : List.of("http://127.0.0.1:" + Layout.ETCD_CLIENT_PORT, client),
        client,
        "http://" + ip + ":" + Layout.ETCD_PEER_PORT,
        "lain-" + name);
  }

  public List<String> command() {
    return List.of(
        BINARY,
        "--name",
        name,
        "--data-dir",
        dataDir,
        "--listen-client-urls",
        String.join(",", clientUrls),
        "--advertise-client-urls",
        advertiseClientUrl,
        "--listen-peer-urls",
        peerUrl,
        "--initial-advertise-peer-urls",
        peerUrl,
        "--initial-cluster",
        name + "=" + peerUrl,
        "--initial-cluster-state",
        "new",
        "--initial-cluster-token",
        clusterToken);
  }

  /** etcd answers {@code {"health":"true"}} here once it serves. */
  public String healthUrl() {
    return clientUrls.getFirst() + "/health";
  }

  /** The service bootstrap supervises. */
  public Service service() {
    return new Service("lain-etcd", command()).withHealth(healthUrl());
  }
}
