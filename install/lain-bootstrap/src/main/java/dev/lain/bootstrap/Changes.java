package dev.lain.bootstrap;

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
public record Changes(
    List<String> packages,
    List<String> files,
    List<String> services,
    List<String> storeKeys,
    List<String> devices) {
  public static final Changes NONE =
      new Changes(List.of(), List.of(), List.of(), List.of(), List.of());

  public Changes {
    packages = List.copyOf(packages);
    files = List.copyOf(files);
    services = List.copyOf(services);
    storeKeys = List.copyOf(storeKeys);
    devices = List.copyOf(devices);
  }

  public Changes withPackages(List<String> value) {
    return new Changes(value, files, services, storeKeys, devices);
  }

  public Changes withFiles(List<String> value) {
    return new Changes(packages, value, services, storeKeys, devices);
  }

  public Changes withServices(List<String> value) {
    return new Changes(packages, files, value, storeKeys, devices);
  }

  public Changes withStoreKeys(List<String> value) {
    return new Changes(packages, files, services, value, devices);
  }

  public Changes withDevices(List<String> value) {
    return new Changes(packages, files, services, storeKeys, value);
  }
}
