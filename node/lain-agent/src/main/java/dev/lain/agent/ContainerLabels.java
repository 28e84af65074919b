package dev.lain.agent;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The labels on every instance container: LAIN's {@code cc.bdp.lain.deployd.*} identity labels,
 * plus the node (several agents may share one Docker engine) and what the agent needs to handle a
 * container whose assignment is gone.
 */
public final class ContainerLabels {
  public static final String PREFIX = "cc.bdp.lain.deployd.";
  public static final String POD_GROUP = PREFIX + "pg_name";
  public static final String NAMESPACE = PREFIX + "pg_namespace";
  public static final String INSTANCE = PREFIX + "instance_no";
  public static final String VERSION = PREFIX + "version";
  public static final String DRIFT = PREFIX + "drift_count";
  public static final String NODE = PREFIX + "node";
  public static final String RESTART_GENERATION = PREFIX + "restart_generation";
  public static final String KILL_TIMEOUT = PREFIX + "kill_timeout";

  private ContainerLabels() {}

  /** The labels of {@code a}'s container: the app's own, then LAIN's. */
  public static Map<String, String> of(Assignment a) {
    Map<String, String> labels = new HashMap<>(a.spec().container().labels());
    InstanceId id = a.id();
    labels.put(POD_GROUP, id.podGroup());
    labels.put(NAMESPACE, a.spec().app());
    labels.put(INSTANCE, Integer.toString(id.instance()));
    labels.put(VERSION, Long.toString(id.version()));
    labels.put(DRIFT, Integer.toString(id.drift()));
    labels.put(NODE, a.node());
    labels.put(RESTART_GENERATION, Long.toString(a.restartGeneration()));
    labels.put(KILL_TIMEOUT, Long.toString(a.spec().killTimeout().toSeconds()));
    return labels;
  }

  /** The instance a container belongs to, if it carries LAIN's labels. */
  public static Optional<InstanceId> idOf(Map<String, String> labels) {
    try {
      return Optional.of(
          new InstanceId(
              labels.get(POD_GROUP),
              Integer.parseInt(labels.get(INSTANCE)),
              Long.parseLong(labels.get(VERSION)),
              Integer.parseInt(labels.get(DRIFT))));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  public static long restartGenerationOf(Map<String, String> labels) {
    return parseLong(labels.get(RESTART_GENERATION), 0);
  }

  public static int killTimeoutOf(Map<String, String> labels) {
    return (int) parseLong(labels.get(KILL_TIMEOUT), 10);
  }

  private static long parseLong(String text, long otherwise) {
    try {
      return text == null ? otherwise : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return otherwise;
    }
  }
}
