package dev.lain.records.nodes;

import dev.lain.model.node.NodeInstall;
import dev.lain.records.deployd.DeploydJson;
import dev.lain.store.Store;
import java.util.Optional;

/** What {@code node add} installed on each node: {@code /lain/cluster/node_installs/<name>}. */
public final class NodeInstalls {
  public static final String PREFIX = "/lain/cluster/node_installs/";

  private NodeInstalls() {}

  public static void save(Store store, NodeInstall install) {
    store.put(PREFIX + install.name(), DeploydJson.write(install));
  }

  public static Optional<NodeInstall> load(Store store, String name) {
    return store.get(PREFIX + name).map(kv -> DeploydJson.read(kv.value(), NodeInstall.class));
  }

  public static void delete(Store store, String name) {
    store.delete(PREFIX + name);
  }
}
