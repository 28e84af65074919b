package dev.lain.records.nodes;

import dev.lain.store.KeyValue;
import dev.lain.store.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/** LAIN's list of etcd members: {@code /lain/nodes/etcd-members/<name>:<ip>:<port>} = ip. */
public final class EtcdMembers {
  public static final String PREFIX = "/lain/nodes/etcd-members/";

  private EtcdMembers() {}

  /** Member key ({@code <name>:<ip>:<port>}) to IP. */
  public static Map<String, String> list(Store store) {
    Map<String, String> members = new LinkedHashMap<>();
    for (KeyValue kv : store.list(PREFIX).entries()) {
      members.put(kv.key().substring(PREFIX.length()), kv.value().strip());
    }
    return members;
  }

  /** Whether the node named {@code name}, or at {@code ip}, is a member. */
  public static boolean includes(Store store, String name, String ip) {
    return list(store).entrySet().stream()
        .anyMatch(e -> e.getKey().startsWith(name + ":") || e.getValue().equals(ip));
  }
}
