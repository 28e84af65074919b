package dev.lain.bootstrap;

import dev.lain.exec.CommandRunner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fake machine for the executor: records every program it is asked to run (standard input shown
 * by size only, as it carries secrets) and answers from a script of command prefixes; anything
 * unscripted succeeds with no output, except {@code kill -0} (no process of ours is alive).
 */
final class RecordingRunner implements CommandRunner {
  private final Map<String, Result> answers = new LinkedHashMap<>();
  private final List<String> recorded = new ArrayList<>();
  private final List<String> stdin = new ArrayList<>();

  /** Answers commands whose words start with {@code prefix} with {@code result}. */
  RecordingRunner answer(String prefix, Result result) {
    answers.put(prefix, result);
    return this;
  }

  List<String> recorded() {
    return List.copyOf(recorded);
  }

  /** What was written to programs' standard input, in order. */
  List<String> stdin() {
    return List.copyOf(stdin);
  }

  @Override
  public Result run(List<String> command) {
    String line = String.join(" ", command);
    recorded.add(line);
    return answerFor(line);
  }

  @Override
  public Result run(List<String> command, String input) {
    String line = String.join(" ", command);
    recorded.add(line + " <<< (" + input.length() + " bytes)");
    stdin.add(input);
    return answerFor(line);
  }

  private Result answerFor(String line) {
    Result found = null;
    int longest = -1;
    for (Map.Entry<String, Result> e : answers.entrySet()) {
      if (line.startsWith(e.getKey()) && e.getKey().length() > longest) {
        found = e.getValue();
        longest = e.getKey().length();
      }
    }
    if (found != null) {
      return found;
    }
    if (line.startsWith("kill -0 ") || line.startsWith("grep -qz ^LAIN_SERVICE=")) {
      return new Result(1, "", "No such process");
    }
    return Result.ok("");
  }
}
