package dev.lain.agent;

import java.util.Objects;

/**
 * What a node's agent says about itself at {@code GET /api/health}: its node and whether its
 * container engine answers.
 *
 * @param node the node the agent runs for
 * @param dockerReachable whether the engine answered a version request
 * @param dockerVersion the engine's version; empty when it did not answer
 * @param detail why the engine is unreachable, in the agent's words (never the engine's); empty
 *     when it answered
 */
public record AgentHealth(
    String node, boolean dockerReachable, String dockerVersion, String detail) {
  /** The JSON word for a reachable engine. */
  public static final String OK = "ok";

  /** The JSON word for an engine that did not answer. */
  public static final String UNREACHABLE = "unreachable";

  public AgentHealth {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(dockerVersion, "dockerVersion");
    Objects.requireNonNull(detail, "detail");
  }

  /** {@value #OK} or {@value #UNREACHABLE}, as the API's {@code docker} field says it. */
  public String docker() {
    return dockerReachable ? OK : UNREACHABLE;
  }
}
