package dev.lain.build;

import dev.lain.spec.CopyEntry;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The Dockerfile text of each phase; pure string building, tested against golden files. */
final class Dockerfiles {
  /** Where the app's files sit in a build context; the app may have its own Dockerfile. */
  static final String APP_CONTEXT_DIR = "app";

  /** Where release.copy sources sit in the release context: {@code release/<index>/<name>}. */
  static final String RELEASE_CONTEXT_DIR = "release";

  static final String APP_DIR = "/lain/app";

  private Dockerfiles() {}

  static String prepare(String base, List<String> script, List<String> keep) {
    List<String> commands = new ArrayList<>(script);
    commands.add(cleanupExcept(keep));
    return "FROM "
        + base
        + "\n"
        + "WORKDIR "
        + APP_DIR
        + "\n"
        + "COPY "
        + APP_CONTEXT_DIR
        + "/ "
        + APP_DIR
        + "/\n"
        + run(commands);
  }

  static String build(String from, Map<String, String> buildArgs, List<String> script) {
    StringBuilder out = new StringBuilder("FROM ").append(from).append('\n');
    for (String name : buildArgs.keySet()) {
      out.append("ARG ").append(name).append('\n');
    }
    out.append("WORKDIR ").append(APP_DIR).append('\n');
    out.append("COPY ").append(APP_CONTEXT_DIR).append("/ ").append(APP_DIR).append("/\n");
    return out.append(run(script)).toString();
  }

  /** The intermediate image of {@code release.script}, run on the build image before copying. */
  static String releaseScript(String buildImage, List<String> script) {
    return "FROM " + buildImage + "\nWORKDIR " + APP_DIR + "\n" + run(script);
  }

  static String release(String destBase, List<CopyEntry> copy) {
    StringBuilder out = new StringBuilder("FROM ").append(destBase).append('\n');
    for (int i = 0; i < copy.size(); i++) {
      out.append("COPY ")
          .append(jsonArray(List.of(releaseContextPath(i, copy.get(i)), copy.get(i).dest())))
          .append('\n');
    }
    return out.append("WORKDIR ").append(APP_DIR).append('\n').toString();
  }

  static String test(String buildImage, List<String> script) {
    return "FROM " + buildImage + "\nWORKDIR " + APP_DIR + "\n" + run(script);
  }

  static String meta() {
    return "FROM scratch\nCOPY lain.yaml /lain.yaml\n";
  }

  /**
   * Where copy entry {@code index} is in the release context. The extracted archive's top entry is
   * named after the source's last segment; COPY then puts a file at dest, or a directory's contents
   * into dest.
   */
  static String releaseContextPath(int index, CopyEntry entry) {
    return RELEASE_CONTEXT_DIR + "/" + index + "/" + lastSegment(entry.src());
  }

  static String lastSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  /**
   * One RUN with every command in its own subshell joined by {@code &&}: a {@code cd} does not leak
   * into the next line (each starts in /lain/app) and the first failure stops the build. The exec
   * form keeps multi-line commands intact.
   */
  static String run(List<String> commands) {
    if (commands.isEmpty()) {
      return "";
    }
    List<String> wrapped = commands.stream().map(c -> "( " + c + " )").toList();
    return "RUN " + jsonArray(List.of("/bin/sh", "-c", String.join(" && ", wrapped))) + "\n";
  }

  /**
   * Removes everything in /lain/app but the kept names, so that the sources the prepare script used
   * do not shadow the build's. A nested keep path keeps its whole top-level entry.
   */
  static String cleanupExcept(List<String> keep) {
    Set<String> names = new LinkedHashSet<>();
    for (String path : keep) {
      int slash = path.indexOf('/');
      names.add(slash < 0 ? path : path.substring(0, slash));
    }
    StringBuilder out = new StringBuilder("find " + APP_DIR + " -mindepth 1 -maxdepth 1");
    for (String name : names) {
      out.append(" ! -name ").append(shellQuote(name));
    }
    return out.append(" -exec rm -rf {} +").toString();
  }

  static String shellQuote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }

  static String jsonArray(List<String> values) {
    return "[" + String.join(", ", values.stream().map(Dockerfiles::jsonString).toList()) + "]";
  }

  static String jsonString(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
