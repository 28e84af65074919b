package dev.lain.cli.lain;

import dev.lain.cli.ExitCode;
import dev.lain.cli.console.ConsoleClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code lain logs PHASE PROC [INSTANCE] [-f]}: an instance's output, streamed by the console from
 * the node that runs it (LAIN only had Kafka/ELK for this). Without INSTANCE every instance of the
 * proc, each line prefixed with its instance.
 */
@Command(name = "logs", description = "Print (or follow with -f) the output of a proc's instances.")
final class LogsCommand implements Callable<Integer> {
  @ParentCommand LainCommand lain;

  @Parameters(index = "0", paramLabel = "PHASE")
  String phase;

  @Parameters(index = "1", paramLabel = "PROC", description = "e.g. web or worker.queue")
  String proc;

  @Parameters(index = "2", paramLabel = "INSTANCE", arity = "0..1", description = "1, 2, ...")
  Integer instance;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines.")
  boolean follow;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "LINES",
      description = "Last LINES lines (default: 100).")
  int tail = 100;

  @Override
  public Integer call() throws InterruptedException {
    if (instance != null && instance < 1) {
      lain.context.err().println("error: instances are numbered from 1");
      return ExitCode.USAGE;
    }
    String app = Cluster.app(lain).appname();
    ConsoleClient console = Cluster.of(lain, phase).console();
    List<Integer> instances = new ArrayList<>();
    if (instance != null) {
      instances.add(instance);
    } else {
      console.proc(app, proc).pods().forEach(pod -> instances.add(pod.instance()));
      if (instances.isEmpty()) {
        lain.context.err().println("error: " + app + " " + proc + " has no instance in " + phase);
        return ExitCode.FAILED;
      }
    }
    PrintWriter out = lain.context.out();
    boolean prefix = instances.size() > 1;
    List<Thread> readers = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (int n : instances) {
      readers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (InputStream stream = console.logs(app, proc, n, follow, tail);
                        BufferedReader reader =
                            new BufferedReader(
                                new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                      for (String line = reader.readLine();
                          line != null;
                          line = reader.readLine()) {
                        synchronized (out) {
                          out.println(prefix ? "[" + proc + "." + n + "] " + line : line);
                          out.flush();
                        }
                      }
                    } catch (IOException e) {
                      synchronized (failures) {
                        failures.add(
                            new IllegalStateException("instance " + n + ": " + e.getMessage(), e));
                      }
                    } catch (RuntimeException e) {
                      synchronized (failures) {
                        failures.add(e);
                      }
                    }
                  }));
    }
    for (Thread reader : readers) {
      reader.join();
    }
    if (!failures.isEmpty()) {
      for (RuntimeException failure : failures) {
        lain.context.err().println("error: " + failure.getMessage());
      }
      return ExitCode.FAILED;
    }
    return ExitCode.OK;
  }
}
