package dev.lain.scheduler;

import dev.lain.model.deploy.Assignment;
import dev.lain.model.deploy.InstanceStatus;
import dev.lain.model.deploy.PodGroupCondition;
import dev.lain.model.deploy.PodGroupSpec;

/** One step of a {@link Plan}. */
public sealed interface Action {

  /** Create or replace an assignment. */
  record Assign(Assignment assignment) implements Action {}

  /** Remove an assignment: its node's agent stops and removes the container. */
  record Unassign(Assignment assignment) implements Action {}

  /** Record what the engine says about a pod group. */
  record SetCondition(String podGroup, PodGroupCondition condition) implements Action {}

  /**
   * The upgrade failed on its first instance: make {@code to} (the previous spec under a new
   * version) the pod group's spec.
   */
  record RollBack(String podGroup, PodGroupSpec to, String reason) implements Action {}

  /** A drift request has been carried out: forget it. */
  record FinishDrift(String podGroup, int instance) implements Action {}

  /**
   * Drop the report of an instance that is no longer assigned and whose node is down: its agent is
   * not there to do it.
   */
  record ForgetStatus(InstanceStatus status) implements Action {}

  /** Something an operator must look at (e.g. the node-loss circuit breaker tripped). */
  record RaiseAlert(String message) implements Action {}
}
