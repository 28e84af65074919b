package dev.lain.spec;

import java.util.List;
import java.util.Map;

/**
 * One entry of {@code use_resources}: the resource's services this app uses and the parameters its
 * lain.yaml template is rendered with.
 */
public record ResourceUse(List<String> services, Map<String, ResourceParam> params) {
  public ResourceUse {
    services = List.copyOf(services);
    params = Copies.orderedMap(params);
  }
}
