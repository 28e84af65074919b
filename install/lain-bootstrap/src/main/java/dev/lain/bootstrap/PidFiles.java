package dev.lain.bootstrap;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Services behind pid files in {@link Layout#RUN}, for machines without systemd ({@code
 * --no-systemd}): started in their own session, logs in {@link Layout#LOGS}, and known by the
 * marker each one's environment carries, so a reused pid is never taken for the service.
 */
final class PidFiles {
  private final Machine machine;

  PidFiles(Machine machine) {
    this.machine = machine;
  }

  /**
   * Starts {@code service} in its own session, its output appended to its log and its pid (the
   * program's own: the shell execs it) in its pid file.
   */
  void start(Service service) {
    String pidFile = machine.at(Layout.pidFile(service.name())).toString();
    String log = machine.at(Layout.logFile(service.name())).toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                "env",
                Service.MARKER + "=" + service.name(),
                "setsid",
                "-f",
                "/bin/sh",
                "-c",
                "echo $$ >\"$0\"; log=$1; shift; exec \"$@\" >>\"$log\" 2>&1 </dev/null",
                pidFile,
                log));
    command.addAll(service.command());
    machine.must(command);
    machine.note(
        service.name()
            + ": started"
            + machine
                .read(Layout.pidFile(service.name()))
                .map(p -> " (pid " + p.strip() + ")")
                .orElse("")
            + ", log "
            + Layout.logFile(service.name()));
  }

  /** The pid in the service's pid file if that process is alive and was started as it. */
  Optional<String> alive(String service) {
    return machine
        .read(Layout.pidFile(service))
        .map(String::strip)
        .filter(p -> p.matches("[1-9][0-9]*"))
        .filter(
            p ->
                machine
                    .run(
                        List.of(
                            "grep",
                            "-qz",
                            "^" + Service.MARKER + "=" + service + "$",
                            "/proc/" + p + "/environ"))
                    .succeeded());
  }

  /**
   * Stops the service behind its pid file and waits until it is gone.
   *
   * @param required whether a service not found behind its pid file fails the step
   */
  void stop(String service, boolean required) {
    Optional<String> pid = alive(service);
    if (pid.isEmpty()) {
      if (required) {
        throw new StepFailed(
            service
                + " runs but not from "
                + Layout.pidFile(service)
                + ": restart it yourself to apply its new configuration, then run again");
      }
      return;
    }
    machine.must(List.of("kill", pid.get()));
    machine.poll(
        service + " (pid " + pid.get() + ") did not stop",
        () -> !machine.run(List.of("kill", "-0", pid.get())).succeeded());
  }
}
