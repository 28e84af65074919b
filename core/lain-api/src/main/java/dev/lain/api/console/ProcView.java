package dev.lain.api.console;

import java.util.List;

/**
 * One proc as deployd runs it: the instance count and limits are the live ones, which scaling may
 * have changed since lain.yaml.
 *
 * @param proctype {@code web}, {@code worker}, {@code oneshot} or {@code portal}
 * @param specVersion the pod group's spec version; instances of it are current
 * @param memory as LAIN writes it ({@code 64m})
 * @param phase the engine's words: {@code running}, {@code upgrading to v3: ...}, ...
 */
public record ProcView(
    String procname,
    String proctype,
    String podGroup,
    long specVersion,
    String image,
    int numInstances,
    int cpu,
    String memory,
    String phase,
    String error,
    List<PodView> pods) {
  public ProcView {
    pods = List.copyOf(pods);
  }

  /** Whether instances of this proc run to completion (they count as done, not as ready). */
  public boolean oneshot() {
    return proctype.equals("oneshot");
  }

  /** Instances of the current spec that run, should run and pass their checks. */
  public long ready() {
    return pods.stream().filter(p -> p.version() == specVersion && p.ready()).count();
  }
}
