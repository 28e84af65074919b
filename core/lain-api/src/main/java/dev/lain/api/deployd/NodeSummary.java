package dev.lain.api.deployd;

import dev.lain.model.deploy.NodeMode;
import dev.lain.model.deploy.Resources;
import java.util.Map;

/** A node as {@code GET /api/nodes} shows it. */
public record NodeSummary(
    String name,
    String ip,
    int sshPort,
    boolean alive,
    NodeMode mode,
    Resources capacity,
    Resources allocated,
    int instances,
    Map<String, String> labels) {}
