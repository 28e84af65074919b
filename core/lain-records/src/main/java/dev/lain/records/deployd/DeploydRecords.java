package dev.lain.records.deployd;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.NodeInfo;
import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupRecord;
import dev.lain.model.router.RouterStatus;
import java.util.Optional;

/** What a key under {@code /lain/} holds, read once. */
final class DeploydRecords {
  private DeploydRecords() {}

  /** A heartbeat key: the node named by the key is alive. */
  record Heartbeat(String node) {}

  /** A node's mode, keyed by node name. */
  record Mode(String node, NodeMode mode) {}

  /** A condition, keyed by pod group. */
  record Condition(String podGroup, PodGroupCondition condition) {}

  /** A value that could not be read, with why. */
  record Unreadable(String reason) {}

  /**
   * The record at {@code key}: one of {@link PodGroupRecord}, {@link Condition}, {@link
   * Assignment}, {@link InstanceStatus}, {@link Heartbeat}, {@link Mode}, {@link NodeInfo}, {@link
   * RouterStatus} or {@link Unreadable}; empty for keys deployd does not read.
   */
  static Optional<Object> decode(String key, String value) {
    try {
      if (key.startsWith(DeploydKeys.POD_GROUPS)) {
        return Optional.of(DeploydJson.read(value, PodGroupRecord.class));
      } else if (key.startsWith(DeploydKeys.POD_GROUP_CONDITIONS)) {
        return Optional.of(
            new Condition(lastSegment(key), DeploydJson.read(value, PodGroupCondition.class)));
      } else if (key.startsWith(DeploydKeys.ASSIGNMENTS)) {
        return Optional.of(DeploydJson.read(value, Assignment.class));
      } else if (key.startsWith(DeploydKeys.INSTANCES)) {
        return Optional.of(DeploydJson.read(value, InstanceStatus.class));
      } else if (key.startsWith(DeploydKeys.HEARTBEATS)) {
        return Optional.of(new Heartbeat(lastSegment(key)));
      } else if (key.startsWith(DeploydKeys.NODE_MODES)) {
        try {
          return Optional.of(new Mode(lastSegment(key), NodeMode.valueOf(value)));
        } catch (IllegalArgumentException e) {
          return Optional.of(new Unreadable("not a node mode: " + value));
        }
      } else if (key.startsWith(DeploydKeys.ROUTERS)) {
        return Optional.of(DeploydJson.read(value, RouterStatus.class));
      } else if (key.startsWith(DeploydKeys.NODES)) {
        return Optional.of(DeploydJson.read(value, NodeInfo.class));
      }
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(new Unreadable(e.getMessage()));
    }
  }

  private static String lastSegment(String key) {
    return key.substring(key.lastIndexOf('/') + 1);
  }
}
