package dev.lain.bootstrap;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * What a step changes on the machine, shown before anything is done.
 *
 * @param packages Debian packages installed
 * @param files files and directories written (absolute paths on the machine)
 * @param services services started or restarted
 * @param storeKeys cluster store keys written
 * @param devices block devices written to, with what is made on them
 */
@RecordBuilder
public record Changes(
    List<String> packages,
    List<String> files,
    List<String> services,
    List<String> storeKeys,
    List<String> devices)
    implements ChangesBuilder.With {
  public static final Changes NONE =
      new Changes(List.of(), List.of(), List.of(), List.of(), List.of());

  public Changes {
    packages = List.copyOf(packages);
    files = List.copyOf(files);
    services = List.copyOf(services);
    storeKeys = List.copyOf(storeKeys);
    devices = List.copyOf(devices);
  }
}
