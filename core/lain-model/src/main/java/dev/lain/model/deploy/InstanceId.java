package dev.lain.model.deploy;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One incarnation of an instance: pod group, instance number, spec version and drift count (how
 * often it moved to another node). Its container is named as in LAIN: {@code
 * <pg>.v<version>-i<instance>-d<drift>}.
 */
public record InstanceId(String podGroup, int instance, long version, int drift)
    implements Comparable<InstanceId> {
  private static final Pattern CONTAINER_NAME = Pattern.compile("(.+)\\.v(\\d+)-i(\\d+)-d(\\d+)");

  public InstanceId {
    Objects.requireNonNull(podGroup, "podGroup");
    if (instance < 1 || version < 1 || drift < 0) {
      throw new IllegalArgumentException(
          "bad instance id " + podGroup + " i" + instance + " v" + version + " d" + drift);
    }
  }

  public String containerName() {
    return podGroup + ".v" + version + "-i" + instance + "-d" + drift;
  }

  /** The id a LAIN container name stands for. */
  public static InstanceId parse(String containerName) {
    Matcher m = CONTAINER_NAME.matcher(containerName);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a LAIN container name: " + containerName);
    }
    return new InstanceId(
        m.group(1),
        Integer.parseInt(m.group(3)),
        Long.parseLong(m.group(2)),
        Integer.parseInt(m.group(4)));
  }

  @Override
  public int compareTo(InstanceId o) {
    int c = podGroup.compareTo(o.podGroup);
    if (c == 0) {
      c = Integer.compare(instance, o.instance);
    }
    if (c == 0) {
      c = Long.compare(version, o.version);
    }
    return c != 0 ? c : Integer.compare(drift, o.drift);
  }

  @Override
  public String toString() {
    return containerName();
  }
}
