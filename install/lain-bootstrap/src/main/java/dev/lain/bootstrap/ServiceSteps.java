package dev.lain.bootstrap;

import dev.lain.exec.CommandRunner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The executor's service steps: Debian's own services stopped, bootstrap's written as systemd units
 * (or prepared for pid files), and started until each answers its health URL.
 */
final class ServiceSteps {
  private final Machine machine;
  private final PidFiles pidFiles;

  ServiceSteps(Machine machine, PidFiles pidFiles) {
    this.machine = machine;
    this.pidFiles = pidFiles;
  }

  void stop(Action.StopServices action) {
    for (String service : action.services()) {
      if (machine.systemd()) {
        // Disabled as well, or the next boot would start it before ours.
        machine.must(List.of("systemctl", "disable", "-q", "--now", service));
        machine.note(service + ": stopped and disabled");
        continue;
      }
      // Without systemd a service that does not run makes its init script fail: that is fine.
      CommandRunner.Result result =
          machine.run(
              service.equals("nginx")
                  ? List.of("nginx", "-s", "quit")
                  : List.of("service", service, "stop"));
      machine.note(
          service
              + (result.succeeded()
                  ? ": stopped"
                  : ": not running (" + Machine.tail(result) + ")"));
    }
  }

  void supervise(Action.Supervise action) {
    machine.directory(Layout.RUN);
    machine.directory(Layout.LOGS);
    if (action.supervision() == Supervision.PID_FILES) {
      return;
    }
    List<String> units = new ArrayList<>();
    List<String> written = new ArrayList<>();
    for (Service service : action.services()) {
      String unit = Layout.unit(service.name());
      units.add(machine.at(unit).toString());
      if (!machine.read(unit).equals(Optional.of(service.unit()))) {
        machine.writeFile(unit, service.unit(), "rw-r--r--");
        written.add(service.name());
      }
    }
    if (available("systemd-analyze")) {
      List<String> verify = new ArrayList<>(List.of("systemd-analyze", "verify"));
      verify.addAll(units);
      machine.must(verify);
    }
    machine.must(List.of("systemctl", "daemon-reload"));
    List<String> enable = new ArrayList<>(List.of("systemctl", "enable", "-q"));
    action.services().forEach(s -> enable.add(s.name()));
    machine.must(enable);
    if (!written.isEmpty()) {
      machine.note("units written: " + String.join(", ", written));
    }
  }

  void start(Supervision supervision, Action.StartServices action) {
    for (Action.WriteFile file : action.files()) {
      machine.writeFile(file.path(), file.content(), "rw-r--r--");
    }
    machine.directory(Layout.STATE);
    for (Service service : action.services()) {
      if (service.name().equals("lain-registry")) {
        machine.directory(Layout.REGISTRY_DATA);
      }
      boolean restart = action.restart().contains(service.name());
      if (supervision == Supervision.SYSTEMD) {
        machine.must(List.of("systemctl", restart ? "restart" : "start", service.name()));
        machine.note(service.name() + ": " + (restart ? "restarted" : "started") + " by systemd");
        continue;
      }
      machine.directory(Layout.RUN);
      machine.directory(Layout.LOGS);
      if (restart) {
        pidFiles.stop(service.name(), false);
      }
      Optional<String> pid = pidFiles.alive(service.name());
      if (pid.isPresent()) {
        machine.note(service.name() + ": running (pid " + pid.get() + ")");
      } else {
        pidFiles.start(service);
      }
    }
    for (Service service : action.services()) {
      Optional<String> health = service.health();
      if (health.isPresent()) {
        machine.waitFor(
            service.name(),
            List.of("curl", "-fsS", "--max-time", "2", "-o", "/dev/null", health.get()),
            health.get());
      }
    }
  }

  private boolean available(String program) {
    return machine.run(List.of(program, "--version")).exitCode() != CommandRunner.NOT_FOUND;
  }
}
