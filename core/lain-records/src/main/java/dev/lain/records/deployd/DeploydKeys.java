package dev.lain.records.deployd;

import dev.lain.model.deploy.InstanceId;
import dev.lain.model.deploy.NodeInfo;

/**
 * Where deployd keeps things in the store. Node records follow LAIN ({@code
 * /lain/nodes/nodes/<name>:<ip>:<ssh port>}); pod groups too ({@code
 * /lain/deployd/pod_groups/<app>/<pod group>}).
 */
public final class DeploydKeys {
  public static final String NODES = "/lain/nodes/nodes/";
  public static final String DEPLOYD = "/lain/deployd/";
  public static final String POD_GROUPS = DEPLOYD + "pod_groups/";
  public static final String POD_GROUP_CONDITIONS = DEPLOYD + "pod_group_conditions/";
  public static final String RETIRED_VERSIONS = DEPLOYD + "retired_versions/";
  public static final String ASSIGNMENTS = DEPLOYD + "assignments/";
  public static final String INSTANCES = DEPLOYD + "instances/";
  public static final String HEARTBEATS = DEPLOYD + "heartbeats/";
  public static final String NODE_MODES = DEPLOYD + "node_modes/";
  public static final String ENGINE = DEPLOYD + "engine";
  public static final String LEADER = DEPLOYD + "leader";

  /** Webrouters report here, each under its lease. */
  public static final String ROUTERS = "/lain/webrouter/routers/";

  private DeploydKeys() {}

  public static String node(NodeInfo node) {
    return NODES + node.key();
  }

  /**
   * The key the agent of node {@code name} at {@code ip} registers under, before there is a {@link
   * NodeInfo} (as {@link NodeInfo#key()} spells it).
   */
  public static String node(String name, String ip, int sshPort) {
    return NODES + name + ":" + ip + ":" + sshPort;
  }

  public static String podGroup(String podGroup) {
    return POD_GROUPS + PodGroupNames.appOf(podGroup) + "/" + podGroup;
  }

  /** The last spec version of a removed pod group, so that a new one with its name goes on. */
  public static String retiredVersion(String podGroup) {
    return RETIRED_VERSIONS + podGroup;
  }

  public static String podGroupCondition(String podGroup) {
    return POD_GROUP_CONDITIONS + PodGroupNames.appOf(podGroup) + "/" + podGroup;
  }

  public static String assignmentsOf(String node) {
    return ASSIGNMENTS + node + "/";
  }

  public static String assignment(String node, InstanceId id) {
    return assignmentsOf(node) + id.containerName();
  }

  public static String instancesOf(String node) {
    return INSTANCES + node + "/";
  }

  public static String instance(String node, InstanceId id) {
    return instancesOf(node) + id.containerName();
  }

  public static String heartbeat(String node) {
    return HEARTBEATS + node;
  }

  public static String router(String name) {
    return ROUTERS + name;
  }

  public static String nodeMode(String node) {
    return NODE_MODES + node;
  }
}
