package dev.lain.dockerdisk;

import dev.lain.exec.CommandRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scripted {@link CommandRunner}: answers by the longest matching command prefix, records all.
 */
final class FakeRunner implements CommandRunner {
  private final Map<String, Result> answers = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();

  /** Answers commands starting with {@code prefix} (words joined by single spaces). */
  FakeRunner on(String prefix, Result result) {
    answers.put(prefix, result);
    return this;
  }

  /** A blank block device of {@code bytes}: nothing mounted, no signature. */
  static FakeRunner blankDevice(long bytes) {
    return new FakeRunner()
        .on("blockdev --getsize64", Result.ok(bytes + "\n"))
        .on("blkid -p", Result.failed(2, ""))
        .on("findmnt", Result.failed(1, ""))
        .on("lsblk -n -r -d", Result.failed(32, "lsblk: not a block device"));
  }

  @Override
  public Result run(List<String> argv) {
    String line = String.join(" ", argv);
    calls.add(line);
    String best = "";
    Result answer = Result.ok("");
    for (Map.Entry<String, Result> entry : answers.entrySet()) {
      if (line.startsWith(entry.getKey()) && entry.getKey().length() > best.length()) {
        best = entry.getKey();
        answer = entry.getValue();
      }
    }
    return answer;
  }

  List<String> calls() {
    return List.copyOf(calls);
  }

  /** The calls that change something: everything but the probes. */
  List<String> changes() {
    return calls.stream().filter(c -> !c.matches("(blockdev|lsblk|blkid|findmnt) .*")).toList();
  }
}
